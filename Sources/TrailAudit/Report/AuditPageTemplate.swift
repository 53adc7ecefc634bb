import Mustache

/// The Mustache template of ``AuditPage``. Every `{{value}}` is escaped by ``HTMLText``; the template uses
/// no triple braces, so no value reaches the page unescaped.
enum AuditPageTemplate {
    /// The content type name the template's pragma selects.
    static let contentType = "PROMPTTRAIL_HTML"

    /// The parsed template (parsed once; the text is a constant, checked by the tests).
    static let template: MustacheTemplate = {
        MustacheContentTypes.register(HTMLContent(), named: contentType)
        do {
            return try MustacheTemplate(string: text)
        } catch {
            preconditionFailure("the audit page template does not parse: \(error)")
        }
    }()

    static let text = """
        {{% CONTENT_TYPE: PROMPTTRAIL_HTML }}<!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>PromptTrail audit report: {{title}}</title>
        <style>
        :root { color-scheme: light; --ink: #1b1b1b; --muted: #5c5c5c; --rule: #d9d9d9; --ok: #006b3c; --bad: #b00020; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1100px; padding: 16px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
        h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 1.05em; margin: 20px 0 6px; } p, li { overflow-wrap: anywhere; }
        .muted { color: var(--muted); } code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.88em; overflow-wrap: anywhere; }
        .verdict { border: 3px solid var(--ok); padding: 10px 14px; margin: 12px 0; } .verdict.failed { border-color: var(--bad); }
        .verdict strong { font-size: 1.3em; } .failed strong { color: var(--bad); } .intact strong { color: var(--ok); }
        .cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
        .card { border: 1px solid var(--rule); padding: 6px 10px; min-width: 120px; } .card b { display: block; font-size: 1.3em; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; margin: 6px 0 12px; font-size: 0.9em; }
        th, td { border: 1px solid var(--rule); padding: 3px 6px; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        svg { display: block; width: 100%; height: auto; max-width: 800px; }
        .legend span { display: inline-block; margin: 0 12px 4px 0; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
        pre { white-space: pre-wrap; background: #f6f6f6; padding: 8px; margin: 4px 0; max-height: none; }
        .diff { padding: 0; background: #fafafa; } .diff div { padding: 0 8px; white-space: pre-wrap; }
        .diff .add { background: #e6f4ea; } .diff .del { background: #fce8e6; } .diff .same { color: var(--muted); }
        .version { border-left: 4px solid var(--rule); padding-left: 10px; margin: 12px 0; }
        @media print { @page { size: A4; margin: 14mm; } body { max-width: none; padding: 0; font-size: 11pt; } .project { break-before: page; } .version, table, svg { break-inside: avoid; } }
        @media (max-width: 480px) { body { padding: 8px; font-size: 14px; } .card { min-width: 45%; } }
        </style>
        </head>
        <body>
        <header>
        <h1>PromptTrail audit report</h1>
        <p class="muted mono">{{title}}</p>
        {{#verdict}}
        <section class="verdict {{#intact}}intact{{/intact}}{{^intact}}failed{{/intact}}" aria-label="verification verdict">
        <p><strong>{{label}}</strong> — {{findingCount}} problem(s). Signature: {{signature}}</p>
        <p class="muted">Checks run: {{checks}}</p>
        {{^empty(findings)}}<ul>{{/empty(findings)}}{{#findings}}<li class="mono">{{.}}</li>{{/findings}}{{^empty(findings)}}</ul>{{/empty(findings)}}
        {{#findingsMore}}<p class="muted">{{findingsMore}}</p>{{/findingsMore}}
        </section>
        {{/verdict}}
        {{^verdict}}<p class="muted">Written by trail-archive inside the archive; <code>trail-verify ARCHIVE --report FILE.html</code> adds the verification verdict.</p>{{/verdict}}
        <div class="scroll"><table><caption>bag-info.txt</caption>
        {{#info}}<tr><th scope="row">{{label}}</th><td class="mono">{{value}}</td></tr>{{/info}}
        </table></div>
        </header>
        {{#projects}}
        <section class="project" aria-label="project {{id}}">
        <h2>Project {{id}}</h2>
        <div class="cards">
        <div class="card">traces<b>{{traces}}</b></div><div class="card">prompt versions<b>{{versionCount}}</b></div>
        <div class="card">linked<b>{{linked}}</b></div><div class="card">unlinked<b>{{unlinked}}</b></div>
        <div class="card">dangling<b>{{dangling}}</b></div><div class="card">never observed<b>{{neverObserved}}</b></div>
        <div class="card">lineage coverage<b>{{coverage}}</b></div>
        </div>
        <h3>Traces per day, by prompt version</h3>
        <p class="legend">{{#legend}}<span><i class="swatch" style="background:{{color}}"></i>{{label}}</span>{{/legend}}</p>
        {{#chart}}
        <svg viewBox="0 0 800 240" role="img" aria-label="traces per day for project {{id}}, stacked by prompt version; the numbers are in the table below">
        <line x1="{{left}}" y1="{{axisY}}" x2="{{axisRight}}" y2="{{axisY}}" stroke="#777" stroke-width="1"/>
        <line x1="{{left}}" y1="{{top}}" x2="{{left}}" y2="{{axisY}}" stroke="#777" stroke-width="1"/>
        <text x="4" y="20" font-size="12" fill="#444">{{max}}</text><text x="4" y="{{axisY}}" font-size="12" fill="#444">0</text>
        <text x="{{left}}" y="{{labelY}}" font-size="12" fill="#444">{{first}}</text>
        <text x="{{lastX}}" y="{{labelY}}" font-size="12" fill="#444" text-anchor="end">{{last}}</text>
        {{#bars}}<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{color}}"><title>{{title}}</title></rect>{{/bars}}
        </svg>
        {{/chart}}
        <details><summary>Traces per day (table)</summary><div class="scroll"><table>
        <thead><tr><th>day</th>{{#dayHeader}}<th class="n">{{label}}</th>{{/dayHeader}}<th class="n">total</th></tr></thead>
        <tbody>{{#dayRows}}<tr><td class="mono">{{day}}</td>{{#cells}}<td class="n">{{count}}</td>{{/cells}}<td class="n">{{total}}</td></tr>{{/dayRows}}</tbody>
        </table></div></details>
        <h3>Review outcomes per prompt version</h3>
        <p class="legend">{{#reviewLegend}}<span><i class="swatch" style="background:{{color}}"></i>{{label}}</span>{{/reviewLegend}}</p>
        <div class="scroll"><table>
        <thead><tr><th>version</th><th class="n">traces</th><th>outcomes</th><th class="n">approved</th><th class="n">corrected</th><th class="n">rejected</th><th class="n">pending</th><th class="n">no review</th></tr></thead>
        <tbody>{{#reviews}}<tr><td class="mono">{{label}}</td><td class="n">{{total}}</td>
        <td><svg viewBox="0 0 300 14" width="300" height="14" role="img" aria-label="review outcomes of {{label}}">{{#segments}}<rect x="{{x}}" y="0" width="{{width}}" height="14" fill="{{color}}"><title>{{title}}</title></rect>{{/segments}}</svg></td>
        {{#cells}}<td class="n">{{rate}} ({{count}})</td>{{/cells}}</tr>{{/reviews}}</tbody>
        </table></div>
        <h3>Lineage coverage</h3>
        <p>{{linked}} linked, {{unlinked}} unlinked (no prompt version named), {{dangling}} dangling (the named version is not in the archive), {{neverObserved}} never observed (the named version was never current when PromptTrail pulled, so no archive can hold it).</p>
        {{^empty(unlinkedSample)}}<p>Unlinked traces:</p><ul class="mono">{{/empty(unlinkedSample)}}{{#unlinkedSample}}<li>{{.}}</li>{{/unlinkedSample}}{{^empty(unlinkedSample)}}</ul>{{/empty(unlinkedSample)}}
        {{#unlinkedMore}}<p class="muted">{{unlinkedMore}} (see data/lineage.jsonl)</p>{{/unlinkedMore}}
        {{^empty(danglingSample)}}<p>Dangling traces:</p><ul class="mono">{{/empty(danglingSample)}}{{#danglingSample}}<li>{{trace}} names {{version}}</li>{{/danglingSample}}{{^empty(danglingSample)}}</ul>{{/empty(danglingSample)}}
        {{#danglingMore}}<p class="muted">{{danglingMore}} (see data/lineage.jsonl)</p>{{/danglingMore}}
        {{^empty(neverObservedSample)}}<p>Traces naming a version no pull observed:</p><ul class="mono">{{/empty(neverObservedSample)}}{{#neverObservedSample}}<li>{{trace}} names {{version}}</li>{{/neverObservedSample}}{{^empty(neverObservedSample)}}</ul>{{/empty(neverObservedSample)}}
        {{#neverObservedMore}}<p class="muted">{{neverObservedMore}} (see data/lineage.jsonl)</p>{{/neverObservedMore}}
        <h3>Active version history</h3>
        {{^empty(activations)}}<p>Which version the platform called active (or current) each time a pull saw it change; the change happened between the previous pull and this one. No platform keeps this history.</p>
        <div class="scroll"><table>
        <thead><tr><th>observed at</th><th>changed after</th><th>prompt</th><th>active version</th></tr></thead>
        <tbody>{{/empty(activations)}}{{#activations}}<tr><td class="mono">{{observedAt}}</td><td class="mono">{{since}}</td><td class="mono">{{prompt}}</td><td class="mono">{{version}}</td></tr>{{/activations}}{{^empty(activations)}}</tbody>
        </table></div>{{/empty(activations)}}
        {{#empty(activations)}}<p class="muted">No activation history: the workspace was pulled before PromptTrail recorded one.</p>{{/empty(activations)}}
        {{#activationsMore}}<p class="muted">{{activationsMore}}</p>{{/activationsMore}}
        <h3>Prompt version change log</h3>
        {{#changes}}
        <article class="version">
        <p><strong>version {{number}}</strong> <code>{{id}}</code> — {{createdAt}} by {{author}}; origin {{origin}}{{#parent}}; parent <code>{{parent}}</code>{{/parent}}</p>
        {{#rationale}}<p>Rationale: {{rationale}}</p>{{/rationale}}
        <p class="muted">settings: {{settings}}; content SHA-256 <code>{{sha}}</code></p>
        {{#content}}<pre>{{content}}</pre>{{/content}}
        {{#parentMissing}}<p class="muted">The parent version is not in this archive, so no difference is shown.</p>{{/parentMissing}}
        {{^empty(diff)}}<div class="diff mono" aria-label="changes against the parent">{{/empty(diff)}}{{#diff}}<div class="{{kind}}">{{mark}} {{text}}</div>{{/diff}}{{^empty(diff)}}</div>{{/empty(diff)}}
        {{#diffMore}}<p class="muted">{{diffMore}} lines</p>{{/diffMore}}
        </article>
        {{/changes}}
        {{#example}}
        <h3>Provenance, worked through</h3>
        <p>Trace <code>{{trace}}</code> has an output whose RFC 8785 form hashes to <code>{{output}}</code>. Its lineage line links it to prompt version <code>{{version}}</code> (version {{number}}), whose content hashes to <code>{{sha}}</code>.</p>
        <p>To check it without PromptTrail: extract the archive (<code>tar -xf ARCHIVE</code>), confirm every file with <code>sha256sum -c manifest-sha256.txt</code> and <code>sha256sum -c tagmanifest-sha256.txt</code> (or <code>bagit.py --validate</code>), find the trace in <code>data/traces/</code> and its line in <code>data/lineage.jsonl</code>, and hash the version's <code>content</code> from <code>data/prompts/</code> with <code>sha256sum</code> (string content is hashed as its UTF-8 bytes).</p>
        {{/example}}
        </section>
        {{/projects}}
        <section aria-label="quarantine">
        <h2>Quarantined records</h2>
        <p>{{quarantined}} record(s) were kept out of the data because they failed validation; they are in <code>data/quarantine/</code> with their errors.</p>
        {{^empty(quarantine)}}<div class="scroll"><table><thead><tr><th>file</th><th class="n">line</th><th>reasons</th></tr></thead><tbody>{{/empty(quarantine)}}
        {{#quarantine}}<tr><td class="mono">{{file}}</td><td class="n">{{line}}</td><td>{{reasons}}</td></tr>{{/quarantine}}
        {{^empty(quarantine)}}</tbody></table></div>{{/empty(quarantine)}}
        {{#quarantineMore}}<p class="muted">{{quarantineMore}}</p>{{/quarantineMore}}
        </section>
        <footer><p class="muted">Lists are capped at {{listLimit}} items; <code>data/lineage.jsonl</code> and <code>data/quarantine/</code> hold everything. Format: archive-format.md in the archive.</p></footer>
        </body>
        </html>

        """
}
