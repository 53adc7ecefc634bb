#!/usr/bin/env python3
"""Reads a trail-export dataset back with DuckDB (and pyarrow.parquet for Parquet) and checks it
against the workspace it came from.

    export_check.py WORKSPACE EXPORT_DIR FORMAT

Checks: every file of _manifest.json exists with its size and SHA-256; row counts equal the
workspace's; column types are those the export declares in schema/<table>.bigquery.json; every
value round-trips exactly (numbers inside JSON text keep their digits); lineage joined with
prompt_versions returns the prompt content of every linked trace. Exits 1 with a list of failures.
Called by the Swift tests (TrailExportTests); independent of PromptTrail's code.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from datetime import datetime, timezone
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

failures: list[str] = []
checks = 0


def check(condition: bool, message: str) -> None:
    global checks
    checks += 1
    if not condition:
        failures.append(message)


def walk(value):
    """A parsed JSON value in a form where equality means equal digits and equal member order."""
    if isinstance(value, Decimal):
        return ("number", str(value))
    if isinstance(value, list):
        return [walk(item) for item in value]
    if isinstance(value, dict):
        return [(key, walk(item)) for key, item in value.items()]
    return value


def exact_parse(text):
    return json.loads(text, parse_float=Decimal, parse_int=lambda s: Decimal(s))


def exact(text):
    """A JSON text parsed so that equal results mean equal digits."""
    return walk(exact_parse(text))


def micros(text: str | None):
    if text is None:
        return None
    head, _, rest = text.partition(".")
    fraction, offset = "", ""
    if rest:
        digits = 0
        while digits < len(rest) and rest[digits].isdigit():
            digits += 1
        fraction, offset = rest[:digits], rest[digits:]
    else:
        head, offset = head[:19], head[19:]
    offset = "+00:00" if offset in ("Z", "z") else offset
    moment = datetime.fromisoformat(head.replace("t", "T").replace(" ", "T") + offset)
    return int(moment.timestamp()) * 1_000_000 + int((fraction + "000000")[:6] or 0)


def as_micros(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return int(value.astimezone(timezone.utc).timestamp()) * 1_000_000 + value.microsecond
    return micros(value)


def raw_member(line: str, record: dict, name: str):
    """The JSON text of a member as it would be re-serialized compactly (the workspace's own form)."""
    value = record[name]
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_workspace(root: str):
    prompts, traces = [], []
    for path in sorted(glob.glob(os.path.join(root, "prompts", "*.jsonl"))):
        with open(path, encoding="utf-8", newline="") as handle:
            for line in handle.read().split("\n"):
                if line:
                    prompts.append((line, json.loads(line, parse_float=Decimal)))
    for path in sorted(glob.glob(os.path.join(root, "traces", "*", "*.jsonl"))):
        relative = os.path.relpath(path, root)
        with open(path, encoding="utf-8", newline="") as handle:
            for number, line in enumerate(handle.read().split("\n"), start=1):
                if line:
                    traces.append((relative, number, line, json.loads(line, parse_float=Decimal)))
    return prompts, traces


def json_text_of(record_value):
    return None if record_value is None else record_value


def load_observations(root: str):
    """The versions each project's activation history names, by project (absent: no history)."""
    observed: dict[str, set] = {}
    for path in sorted(glob.glob(os.path.join(root, "activations", "*.jsonl"))):
        project = os.path.basename(path)[: -len(".jsonl")]
        names = observed.setdefault(project, set())
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    names.add(json.loads(line)["prompt_version_id"])
    return observed


def expected_tables(prompts, traces, observed=None):
    observed = observed or {}
    versions = {}
    prompt_rows = {}
    for line, record in prompts:
        content = record["content"]
        if not isinstance(content, str):
            content = ("json", walk(exact_parse(line)["content"]))
        key = (record["project_id"], record["prompt_version_id"])
        versions[key] = record
        prompt_rows[key] = {
            "project_id": record["project_id"], "prompt_version_id": record["prompt_version_id"],
            "version": record["version"], "source": record["source"], "slug": record["prompt_key"],
            "origin": record["origin"], "is_active": record["is_active"], "parent_id": record["parent_id"],
            "created_at": micros(record["created_at"]), "created_by": record["created_by"],
            "rationale": record["rationale"], "content": content,
            "content_sha256": record["content_sha256"], "content_bytes": record["content_bytes"],
            "provider": record["provider"], "model": record["model"],
            "temperature": None if record["temperature"] is None else float(record["temperature"]),
            "top_p": None if record["top_p"] is None else float(record["top_p"]),
            "max_output_tokens": record["max_output_tokens"],
        }
    trace_rows, lineage_rows = {}, {}
    for relative, number, line, record in traces:
        key = (record["project_id"], record["trace_id"])
        trace_rows[key] = {
            "project_id": record["project_id"], "trace_id": record["trace_id"], "source": record["source"],
            "status": record["status"], "created_at": micros(record["created_at"]),
            "updated_at": micros(record["updated_at"]), "model": record["model"],
            "prompt_version_id": record["prompt_version_id"], "prompt_version": record["prompt_version"],
            "internal_run_id": record["internal_run_id"], "tags": record["tags"],
            "model_input": ("json", line, "model_input"), "model_output": ("json", line, "model_output"),
            "corrected_output": ("json", line, "corrected_output"), "final_output": ("json", line, "final_output"),
            "output_sha256": record["output_sha256"],
        }
        version_id = record["prompt_version_id"]
        linked = versions.get((record["project_id"], version_id)) if version_id else None
        status = "unlinked" if version_id is None else ("linked" if linked else "dangling")
        project_observed = observed.get(record["project_id"])
        if status == "dangling" and project_observed is not None and version_id not in project_observed:
            status = "never_observed"
        lineage_rows[key] = {
            "project_id": record["project_id"], "trace_id": record["trace_id"],
            "trace_created_at": micros(record["created_at"]), "prompt_version_id": version_id,
            "version": linked["version"] if linked else None,
            "content_sha256": linked["content_sha256"] if linked else None,
            "output_sha256": record["output_sha256"], "status": status,
            "source_file": relative, "source_line": number,
        }
    return {"prompt_versions": prompt_rows, "traces": trace_rows, "lineage": lineage_rows}


def source_json(line: str, member: str):
    """The exact digits of a member of a workspace line, parsed from the line itself."""
    value = exact_parse(line)[member]
    return None if value is None else walk(value)


DUCK_TYPES = {"STRING": "VARCHAR", "INTEGER": "BIGINT", "BOOLEAN": "BOOLEAN", "FLOAT": "DOUBLE",
              "TIMESTAMP": "TIMESTAMP WITH TIME ZONE"}


def declared(export_dir: str, table: str):
    with open(os.path.join(export_dir, "schema", f"{table}.bigquery.json"), encoding="utf-8") as handle:
        return json.load(handle)


def relation(con, export_dir: str, table: str, file_format: str, fields):
    folder = os.path.join(export_dir, table)
    partitioned = any(name.startswith("dt=") for name in os.listdir(folder))
    pattern = os.path.join(folder, "*", "*") if partitioned else os.path.join(folder, "*")
    if file_format == "parquet":
        return f"read_parquet('{pattern}.parquet', hive_partitioning={str(partitioned).lower()})"
    columns = {}
    for field in fields:
        base = DUCK_TYPES[field["type"]]
        if field["mode"] == "REPEATED":
            base = "VARCHAR[]" if file_format == "ndjson" else "VARCHAR"
        if field["name"] in ("source_line",):
            base = "INTEGER"
        columns[field["name"]] = base
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    if file_format == "ndjson":
        return f"read_json('{pattern}.ndjson.gz', format='newline_delimited', columns={spec})"
    suffix = ".csv.gz" if glob.glob(pattern + ".csv.gz") else ".csv"
    return (f"read_csv('{pattern}{suffix}', header=true, columns={spec}, quote='\"', escape='\"', "
            f"allow_quoted_nulls=false, delim=',')")


def compare(table, key, column, got, want):
    if isinstance(want, tuple) and want and want[0] == "json":
        if len(want) == 3:
            want_value = source_json(want[1], want[2])
        else:
            want_value = want[1]
        got_value = None if got is None else exact(got)
        check(got_value == want_value, f"{table} {key} {column}: {got!r:.200} != source")
        return
    if column in ("created_at", "updated_at", "trace_created_at"):
        got = as_micros(got)
    if isinstance(want, Decimal):
        want = float(want)
    check(got == want, f"{table} {key} {column}: {got!r:.200} != {want!r:.200}")


def main() -> int:
    workspace, export_dir, file_format = sys.argv[1:4]
    prompts, traces = load_workspace(workspace)
    expected = expected_tables(prompts, traces, load_observations(workspace))

    with open(os.path.join(export_dir, "_manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    check(manifest["file_format"] == file_format, "manifest file_format")
    for entry in manifest["files"]:
        path = os.path.join(export_dir, entry["path"])
        check(os.path.isfile(path), f"manifest lists a missing file {entry['path']}")
        if os.path.isfile(path):
            data = open(path, "rb").read()
            check(len(data) == entry["bytes"], f"{entry['path']}: size differs from the manifest")
            check(hashlib.sha256(data).hexdigest() == entry["sha256"], f"{entry['path']}: SHA-256 differs")

    con = duckdb.connect()
    for table, rows in expected.items():
        fields = declared(export_dir, table)
        source = relation(con, export_dir, table, file_format, fields)
        described = {name: kind for name, kind, *_ in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        for field in fields:
            want = DUCK_TYPES[field["type"]]
            if field["mode"] == "REPEATED":
                want = "VARCHAR[]" if file_format != "csv" else "VARCHAR"
            if field["name"] == "source_line":
                want = "INTEGER"
            check(described.get(field["name"]) == want,
                  f"{table}.{field['name']}: DuckDB type {described.get(field['name'])} != declared {want}")
        names = [field["name"] for field in fields]
        result = con.sql(f"SELECT {', '.join(names)} FROM {source}").fetchall()
        check(len(result) == len(rows), f"{table}: {len(result)} rows, the source has {len(rows)}")
        key_columns = (0, 1)
        for values in result:
            row = dict(zip(names, values))
            key = (row["project_id"], row["prompt_version_id" if table == "prompt_versions" else "trace_id"])
            want = rows.get(key)
            check(want is not None, f"{table}: unexpected row {key}")
            if want is None:
                continue
            for column in names:
                got = row[column]
                if column == "tags" and file_format == "csv":
                    got = json.loads(got)
                compare(table, key, column, got, want[column])

        if file_format == "parquet":
            arrow = pq.read_table(os.path.join(export_dir, table))
            check(arrow.num_rows == len(rows), f"{table}: pyarrow reads {arrow.num_rows} rows")
            arrow_types = {"STRING": pa.string(), "INTEGER": pa.int64(), "BOOLEAN": pa.bool_(),
                           "FLOAT": pa.float64(), "TIMESTAMP": pa.timestamp("us", tz="UTC")}
            for field in fields:
                kind = arrow.schema.field(field["name"]).type
                want = arrow_types[field["type"]]
                if field["name"] == "source_line":
                    want = pa.int32()
                if field["mode"] == "REPEATED":
                    check(pa.types.is_list(kind) and kind.value_type == pa.string(), f"{table}.tags: {kind}")
                else:
                    check(kind == want, f"{table}.{field['name']}: pyarrow type {kind} != {want}")
            for values in arrow.select(names).to_pylist():
                key = (values["project_id"],
                       values["prompt_version_id" if table == "prompt_versions" else "trace_id"])
                if key in rows:
                    for column in names:
                        compare(table, key, column, values[column], rows[key][column])

    lineage = relation(con, export_dir, "lineage", file_format, declared(export_dir, "lineage"))
    versions = relation(con, export_dir, "prompt_versions", file_format, declared(export_dir, "prompt_versions"))
    joined = con.sql(
        f"SELECT l.project_id, l.trace_id, p.content, p.content_sha256 = l.content_sha256 FROM {lineage} l "
        f"LEFT JOIN {versions} p ON p.project_id = l.project_id AND p.prompt_version_id = l.prompt_version_id "
        f"WHERE l.status = 'linked'").fetchall()
    linked = [key for key, row in expected["lineage"].items() if row["status"] == "linked"]
    check(len(joined) == len(linked), f"join: {len(joined)} linked rows, expected {len(linked)}")
    for project, trace, content, same_hash in joined:
        want = expected["prompt_versions"][(project, expected["lineage"][(project, trace)]["prompt_version_id"])]
        got = content if not isinstance(want["content"], tuple) else ("json", exact(content))
        check(content is not None and got == want["content"] and same_hash, f"join: no content for {trace}")

    for failure in failures[:50]:
        print("FAIL:", failure, file=sys.stderr)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
