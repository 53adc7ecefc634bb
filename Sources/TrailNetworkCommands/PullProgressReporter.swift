internal import Foundation
private import Synchronization
internal import TrailJSON
internal import TrailPull
internal import TrailToolSupport

/// Shows a pull's progress on standard error: on a terminal, one live line per project (records,
/// batches, rate, retries), redrawn in place; otherwise plain lines as projects start and finish. The
/// final summary is always printed (to standard error, so standard output stays clean).
final class PullProgressReporter: Sendable {
    private struct State {
        var records: [String: Int] = [:]
        var batches: [String: Int] = [:]
        var done: [String: String] = [:]
        var order: [String] = []
        var retries = 0
        var drawnLines = 0
        var lastDraw = ContinuousClock.now
    }

    let interactive: Bool
    let quiet: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(interactive: Bool, quiet: Bool) {
        self.interactive = interactive
        self.quiet = quiet
    }

    @Sendable func handle(_ event: PullEvent) {
        guard !quiet else { return }
        state.withLock { state in
            switch event {
            case .started(let project):
                state.order.append(project)
                if !interactive { Self.write("trail-pull: \(TerminalText.escapedControls(project)): started\n") }
            case .progress(let project, let records, let batches):
                state.records[project] = records
                state.batches[project] = batches
                if !interactive {
                    Self.write(
                        "trail-pull: \(TerminalText.escapedControls(project)): \(records) records received, \(batches) batches stored\n"
                    )
                }
            case .retried:
                state.retries += 1
            case .finished(let project, let summary):
                let line =
                    summary.error.map { _ in "FAILED (the summary below says why)" }
                    ?? "done: \(summary.new) new, \(summary.updated) updated, \(summary.quarantined) quarantined"
                state.done[project] = line
                if !interactive {
                    Self.write(
                        "trail-pull: \(TerminalText.escapedControls(project)): \(TerminalText.escapedControls(line))\n"
                    )
                }
            }
            if interactive {
                draw(&state, force: { if case .finished = event { return true } else { return false } }())
            }
        }
    }

    private func draw(_ state: inout State, force: Bool) {
        let now = ContinuousClock.now
        guard force || state.lastDraw.duration(to: now) > .milliseconds(200) else { return }
        state.lastDraw = now
        let elapsed = max(
            0.001,
            Double(started.duration(to: now).components.seconds) + Double(
                started.duration(to: now).components.attoseconds
            ) / 1e18
        )
        var text = state.drawnLines > 0 ? "\u{1B}[\(state.drawnLines)A" : ""
        for project in state.order {
            let records = state.records[project] ?? 0
            let rate = Int(Double(records) / elapsed)
            let status = state.done[project] ?? "\(records) records, \(state.batches[project] ?? 0) batches, \(rate)/s"
            text +=
                "\r\u{1B}[K\(TerminalText.escapedControls(project)): \(TerminalText.escapedControls(status)), \(state.retries) retries\n"
        }
        state.drawnLines = state.order.count
        Self.write(text)
    }

    /// Prints the summary on standard output (a line, or the JSON object with `--format json`), then on
    /// standard error why anything failed and which prompt versions no pull has observed.
    func finish(_ summary: PullSummary, format: SummaryFormat = .text) {
        format.print(
            text: "trail-pull: \(summary.status.rawValue): \(summary.new) new, \(summary.updated) updated, "
                + "\(summary.unchanged) unchanged, \(summary.quarantined) quarantined, \(summary.retried) retried, "
                + "\(summary.requests) requests in \(String(format: "%.1f", summary.durationSeconds)) s",
            json: summary.json
        )
        var lines: [String] = []
        if let error = summary.error { lines.append("trail-pull: error: \(TerminalText.escapedControls("\(error)"))") }
        for (project, counts) in summary.projects.sorted(by: { $0.key < $1.key }) {
            if let error = counts.error {
                lines.append(
                    "trail-pull: \(TerminalText.escapedControls(project)): \(TerminalText.escapedControls("\(error)"))"
                )
            }
            let never = counts.neverObserved
            if !never.isEmpty {
                let total = never.reduce(0) { $0 + $1.traces }
                let shown = never.prefix(5).map { "\($0.label) (\($0.traces))" }.joined(separator: ", ")
                var line =
                    "trail-pull: \(TerminalText.escapedControls(project)): \(total) traces name \(never.count) prompt "
                    + "version(s) no pull has observed: \(TerminalText.escapedControls(shown))"
                    + (never.count > 5 ? ", ..." : "")
                if summary.source == "tracia" {
                    line +=
                        " (Tracia serves only a prompt's current version; trail-pull --watch captures each as it changes)"
                }
                lines.append(line)
            }
        }
        if !lines.isEmpty { Self.write(lines.joined(separator: "\n") + "\n") }
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
