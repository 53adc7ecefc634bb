"""Checks of the sample workspace (samples/workspace/) against docs/workspace-format.md.

- every line of every file validates against its prompttrail/* schema, and every source_payload
  against its upstream schema;
- the layout has no stray files, the files are UTF-8/LF/compact with the fixed member order;
- prompts are ordered by version with exactly one active version per project;
- traces sit in the file of their UTC day, ordered by (created_at, trace_id);
- content_sha256 and output_sha256 recompute (RFC 8785 from Tests/Python/jcs.py, written apart from
  the generator);
- the dataset has what the format has to handle: accepted refinements, unlinked traces, exactly one
  dangling trace, exact numbers beyond double precision;
- each record agrees with its source_payload, and state.json with the data;
- the generator writes byte-identical files again.

Run: python3 -m pytest -q Tests/Python/test_workspace.py
Format checks (date-time, uri, json-pointer) need `jsonschema[format-nongpl]`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SAMPLES
from jcs import canonical_bytes, canonicalize, es_number

# PROMPTTRAIL_WORKSPACE points the same checks at another workspace (e.g. one trail-pull wrote).
WORKSPACE = Path(os.environ.get("PROMPTTRAIL_WORKSPACE", str(SAMPLES / "workspace")))
GENERATOR = ROOT / "scripts" / "generate_sample_workspace.py"
SCHEMA = "https://schemas.prompttrail.dev/{}/v1.json"

PROMPT_KEYS = [
    "record_type", "format_version", "source", "project_id", "prompt_version_id", "prompt_key", "version",
    "is_active", "parent_id", "created_at", "created_by", "origin", "rationale", "content", "content_sha256",
    "content_bytes", "model", "provider", "temperature", "top_p", "max_output_tokens", "source_payload",
]  # fmt: skip
TRACE_KEYS = [
    "record_type", "format_version", "source", "project_id", "trace_id", "created_at", "updated_at", "status",
    "model", "prompt_version_id", "prompt_version", "internal_run_id", "tags", "model_input", "model_output",
    "corrected_output", "final_output", "output_sha256", "source_payload",
]  # fmt: skip
WORKSPACE_KEYS = ["format", "format_version", "source", "base_url", "projects", "created_at", "tool_version"]
STATE_KEYS = ["format_version", "updated_at", "streams"]
TUOR_PROMPT_KEYS = [
    "id", "project_id", "org_id", "version", "content", "source", "is_active", "parent_id", "rationale",
    "lineage_event_ids", "created_at", "created_by",
]  # fmt: skip


# ----------------------------------------------------------------------------- loading


class RawNumber(str):
    """A JSON number kept as its text, so that comparisons see the exact digits."""


def parse_exact(text: str) -> Any:
    return json.loads(text, parse_int=RawNumber, parse_float=RawNumber)


def lines_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n"), path
    return text[:-1].split("\n")  # LF only: U+2028 inside strings is not a line break


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines_of(path)]


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


WORKSPACE_DOC = json.loads((WORKSPACE / "workspace.json").read_text(encoding="utf-8"))
STATE_DOC = json.loads((WORKSPACE / "state.json").read_text(encoding="utf-8"))
PROJECTS: list[str] = WORKSPACE_DOC["projects"]
PROMPT_FILES = sorted((WORKSPACE / "prompts").glob("*.jsonl"))
TRACE_FILES = sorted((WORKSPACE / "traces").glob("*/*.jsonl"))
QUARANTINE_FILES = sorted((WORKSPACE / "quarantine").glob("*/*.jsonl"))
ACTIVATION_FILES = sorted((WORKSPACE / "activations").glob("*.jsonl"))
DATA_FILES = PROMPT_FILES + TRACE_FILES + QUARANTINE_FILES + ACTIVATION_FILES
PROMPTS = {path.stem: records(path) for path in PROMPT_FILES}
TRACES = [record for path in TRACE_FILES for record in records(path)]


def _rel(path: Path) -> str:
    return str(path.relative_to(WORKSPACE))


def _schema_for(path: Path) -> str:
    top = path.relative_to(WORKSPACE).parts[0]
    return SCHEMA.format(
        {
            "prompts": "prompttrail/prompt-version",
            "traces": "prompttrail/trace",
            "quarantine": "prompttrail/quarantine",
            "activations": "prompttrail/activation",
        }[top]
    )


def _errors(validator, instance) -> list[str]:
    return [f"/{'/'.join(map(str, e.absolute_path))} {e.validator}: {e.message[:160]}" for e in validator.iter_errors(instance)]


# ----------------------------------------------------------------------------- layout and encoding


def test_layout_has_no_stray_files():
    day = r"\d{4}-\d{2}-\d{2}"
    projects = "|".join(map(re.escape, PROJECTS))
    allowed = re.compile(
        rf"^(workspace\.json|state\.json|prompts/({projects})\.jsonl|traces/({projects})/{day}\.jsonl"
        rf"|quarantine/({projects})/(prompts|traces)\.jsonl|activations/({projects})\.jsonl)$"
    )
    stray = []
    for path in sorted(WORKSPACE.rglob("*")):
        relative = _rel(path)
        if path.is_dir():
            if not any(path.iterdir()):
                stray.append(relative + "/ (empty directory)")
        elif not allowed.match(relative):
            stray.append(relative)
        elif path.stat().st_size == 0:
            stray.append(relative + " (empty file)")
    assert not stray, f"files the workspace format does not allow: {stray}"
    for path in TRACE_FILES:
        date.fromisoformat(path.stem)  # a real calendar date


@pytest.mark.parametrize("path", [WORKSPACE / "workspace.json", WORKSPACE / "state.json", *DATA_FILES], ids=_rel)
def test_file_encoding(path: Path):
    data = path.read_bytes()
    text = data.decode("utf-8")  # strict
    assert not text.startswith("\ufeff"), "byte order mark"
    assert "\r" not in text, "CR line ends"
    assert text.endswith("\n"), "no final newline"
    if path.suffix == ".jsonl":
        for number, line in enumerate(lines_of(path), start=1):
            assert line, f"line {number} is empty"
            value = json.loads(line)
            assert isinstance(value, dict), f"line {number} is not an object"
            assert line == json.dumps(value, ensure_ascii=False, separators=(",", ":")), f"line {number} is not compact UTF-8 JSON"
    else:
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n", "not 2-space indented JSON"


def test_member_order_is_fixed():
    assert list(WORKSPACE_DOC) == WORKSPACE_KEYS
    assert list(STATE_DOC) == STATE_KEYS
    for project, stream in STATE_DOC["streams"].items():
        assert list(stream) == ["prompts", "traces"], project
        assert list(stream["prompts"]) in (["high_water_mark", "etag"], ["high_water_mark", "etag", "observed_at"]), project
        # The stream objects may carry more members after the documented ones (workspace-format.md).
        assert list(stream["traces"])[:3] == ["cursor", "high_water_mark", "last_trace_id"], project
    for versions in PROMPTS.values():
        for record in versions:
            keys = list(record)
            if "observed_at" in keys:  # optional, right after created_at
                assert keys.index("observed_at") == keys.index("created_at") + 1, record["prompt_version_id"]
                keys.remove("observed_at")
            assert keys == PROMPT_KEYS, record["prompt_version_id"]
            assert list(record["source_payload"]) == TUOR_PROMPT_KEYS, record["prompt_version_id"]
    for record in TRACES:
        assert list(record) == TRACE_KEYS, record["trace_id"]


# ----------------------------------------------------------------------------- schemas


def test_workspace_json_validates(make_validator):
    assert not _errors(make_validator(SCHEMA.format("prompttrail/workspace")), WORKSPACE_DOC)
    assert WORKSPACE_DOC["source"] == "tuor" and WORKSPACE_DOC["base_url"] == "https://api.tuor.dev"
    assert PROJECTS == sorted(PROJECTS) and len(PROJECTS) == len(set(PROJECTS)) >= 2


def test_state_json_validates(make_validator):
    assert not _errors(make_validator(SCHEMA.format("prompttrail/state")), STATE_DOC)


@pytest.mark.parametrize("path", DATA_FILES, ids=_rel)
def test_every_line_validates(path: Path, make_validator):
    validator = make_validator(_schema_for(path))
    for number, record in enumerate(records(path), start=1):
        errors = _errors(validator, record)
        assert not errors, f"{_rel(path)}:{number}: {errors}"


def test_source_payloads_validate_against_upstream_schemas(schemas, make_validator):
    """What the workspace holds passed its upstream schema (otherwise it would be in quarantine)."""
    names = {"prompt": "tuor/prompt-version", "trace": "tuor/trace"}
    missing = [name for name in names.values() if SCHEMA.format(name) not in schemas]
    if missing:
        pytest.skip(f"upstream schemas not bundled yet: {missing}")
    prompt_validator = make_validator(SCHEMA.format(names["prompt"]))
    trace_validator = make_validator(SCHEMA.format(names["trace"]))
    for versions in PROMPTS.values():
        for record in versions:
            assert not _errors(prompt_validator, record["source_payload"]), record["prompt_version_id"]
    for record in TRACES:
        assert not _errors(trace_validator, record["source_payload"]), record["trace_id"]


def test_prompttrail_sample_payloads_validate_against_upstream_schemas(schemas, make_validator):
    """The valid samples/prompttrail/ records carry upstream objects their upstream schemas accept."""
    upstream = {
        ("prompt_version", "tuor"): "tuor/prompt-version",
        ("prompt_version", "tracia"): "tracia/prompt",
        ("trace", "tuor"): "tuor/trace",
        ("trace", "tracia"): "tracia/span",
    }
    checked = 0
    for path in sorted((SAMPLES / "prompttrail").glob("*.valid*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        name = upstream.get((record.get("record_type"), record.get("source")))
        if name is None or SCHEMA.format(name) not in schemas:
            continue
        assert not _errors(make_validator(SCHEMA.format(name)), record["source_payload"]), path.name
        checked += 1
    assert checked >= 4


# ----------------------------------------------------------------------------- prompts


def test_prompt_files_belong_to_listed_projects():
    assert sorted(PROMPTS) == PROJECTS
    for project, versions in PROMPTS.items():
        assert {r["project_id"] for r in versions} == {project}
        assert all(r["source"] == WORKSPACE_DOC["source"] for r in versions)


@pytest.mark.parametrize("project", PROJECTS)
def test_prompts_ordered_by_version_with_one_active(project: str):
    versions = PROMPTS[project]
    numbers = [r["version"] for r in versions]
    assert numbers == list(range(1, len(versions) + 1)), f"not ordered 1..n: {numbers}"
    assert 4 <= len(versions) <= 6
    ids = [r["prompt_version_id"] for r in versions]
    assert len(ids) == len(set(ids))
    active = [r for r in versions if r["is_active"]]
    assert len(active) == 1, "exactly one active version per project"
    assert active[0]["version"] == max(numbers), "the active version is the newest"
    created = [parse_time(r["created_at"]) for r in versions]
    assert created == sorted(created)
    assert versions[0]["parent_id"] is None
    for previous, record in zip(versions, versions[1:]):
        assert record["parent_id"] == previous["prompt_version_id"]


@pytest.mark.parametrize("project", PROJECTS)
def test_prompt_contents_are_realistic(project: str):
    sizes = [r["content_bytes"] for r in PROMPTS[project]]
    assert min(sizes) >= 200 and max(sizes) <= 8 * 1024
    assert any(not r["content"].isascii() for r in PROMPTS[project]), "some content is non-ASCII"


def test_content_hashes_recompute():
    for versions in PROMPTS.values():
        for record in versions:
            content = record["content"]
            data = content.encode("utf-8") if isinstance(content, str) else canonical_bytes(content)
            assert record["content_sha256"] == hashlib.sha256(data).hexdigest(), record["prompt_version_id"]
            assert record["content_bytes"] == len(data), record["prompt_version_id"]


def test_each_project_has_an_accepted_refinement():
    for project, versions in PROMPTS.items():
        refinements = [r for r in versions if r["origin"] == "refinement"]
        assert refinements, f"{project} has no accepted refinement"
        for record in refinements:
            index = versions.index(record)
            assert index > 0 and record["parent_id"] == versions[index - 1]["prompt_version_id"]
            assert record["rationale"] and record["rationale"].strip()
            assert record["source_payload"]["lineage_event_ids"], "a refinement names the review events behind it"
            assert record["created_by"] and record["created_by"].startswith("user_")
        for record in versions:
            if record["origin"] == "manual":
                assert record["rationale"] is None and record["source_payload"]["lineage_event_ids"] == []


# ----------------------------------------------------------------------------- traces


@pytest.mark.parametrize("path", TRACE_FILES, ids=_rel)
def test_traces_are_in_their_day_file_and_ordered(path: Path):
    project = path.parent.name
    lines = records(path)
    for record in lines:
        assert record["project_id"] == project
        assert parse_time(record["created_at"]).date().isoformat() == path.stem, record["trace_id"]
    keys = [(parse_time(r["created_at"]), r["trace_id"]) for r in lines]
    assert keys == sorted(keys), "not ordered by (created_at, trace_id)"


def test_trace_ids_unique_per_project():
    for project in PROJECTS:
        ids = [r["trace_id"] for r in TRACES if r["project_id"] == project]
        assert len(ids) == len(set(ids)), project


def test_output_hashes_recompute():
    for record in TRACES:
        expected = hashlib.sha256(canonical_bytes(record["model_output"])).hexdigest()
        assert record["output_sha256"] == expected, record["trace_id"]


def test_review_rules():
    """Tuor: final_output = model_output (approved), corrected_output (corrected), null otherwise."""
    for record in TRACES:
        status, final, corrected = record["status"], record["final_output"], record["corrected_output"]
        if status == "approved":
            assert final == record["model_output"] and corrected is None, record["trace_id"]
        elif status == "corrected":
            assert corrected is not None and final == corrected and corrected != record["model_output"], record["trace_id"]
        else:
            assert status in ("pending", "rejected") and final is None and corrected is None, record["trace_id"]
        reviewed = record["source_payload"]["reviewed_at"]
        assert (reviewed is None) == (status == "pending"), record["trace_id"]
        if reviewed is not None:
            assert record["updated_at"] == reviewed and parse_time(reviewed) >= parse_time(record["created_at"])


def _prompt_ids(project: str) -> dict[str, dict[str, Any]]:
    return {r["prompt_version_id"]: r for r in PROMPTS[project]}


def test_dataset_shape():
    assert 250 <= len(TRACES) <= 350
    days = sorted({parse_time(r["created_at"]).date() for r in TRACES})
    assert days[0].year == 2026 and days[0].month == 5 and days[-1].month == 5 and len(days) >= 9
    assert {r["status"] for r in TRACES} == {"pending", "approved", "rejected", "corrected"}
    unlinked = [r for r in TRACES if r["prompt_version_id"] is None]
    assert 0.03 <= len(unlinked) / len(TRACES) <= 0.08, f"{len(unlinked)} unlinked traces"
    assert any("trace_config" not in r["source_payload"] for r in unlinked)
    assert any("trace_config" in r["source_payload"] for r in unlinked)
    for project in PROJECTS:
        assert any(r["project_id"] == project for r in unlinked), f"{project} has no unlinked trace"
        assert any(r["tags"] for r in TRACES if r["project_id"] == project)
        assert any(r["internal_run_id"] for r in TRACES if r["project_id"] == project)


def test_exactly_one_dangling_trace():
    dangling = [r for r in TRACES if r["prompt_version_id"] is not None and r["prompt_version_id"] not in _prompt_ids(r["project_id"])]
    assert len(dangling) == 1, [r["trace_id"] for r in dangling]
    assert dangling[0]["prompt_version_id"] == "prm_deleted0001"


def test_linked_traces_name_the_version_active_at_creation():
    for record in TRACES:
        versions = _prompt_ids(record["project_id"])
        if record["prompt_version_id"] not in versions:
            continue
        created = parse_time(record["created_at"])
        active = max((v for v in versions.values() if parse_time(v["created_at"]) <= created), key=lambda v: v["version"])
        assert record["prompt_version_id"] == active["prompt_version_id"], record["trace_id"]


def test_system_prompts_sent_along_match_the_linked_version():
    for record in TRACES:
        system_prompt = record["model_input"].get("system_prompt")
        if system_prompt is not None:
            assert record["prompt_version_id"] in _prompt_ids(record["project_id"]), record["trace_id"]
            assert system_prompt == _prompt_ids(record["project_id"])[record["prompt_version_id"]]["content"]


# ----------------------------------------------------------------------------- records vs. payloads


def _exact_traces() -> list[dict[str, Any]]:
    return [parse_exact(line) for path in TRACE_FILES for line in lines_of(path)]


def test_traces_agree_with_source_payload():
    """Compared on the JSON text of numbers, so a rounded copy would show."""
    for record in _exact_traces():
        payload = record["source_payload"]
        config = payload.get("trace_config") or {}
        assert record["project_id"] == payload["project_id"]
        assert record["trace_id"] == payload["id"]
        assert record["status"] == payload["status"]
        assert record["created_at"] == payload["created_at"]
        assert record["updated_at"] == payload.get("updated_at")
        assert record["prompt_version_id"] == config.get("prompt_version_id")
        assert record["model"] == config.get("model")
        assert record["internal_run_id"] == config.get("internal_run_id")
        assert record["prompt_version"] is None
        assert record["tags"] == payload.get("tags", [])
        for key in ("model_input", "model_output", "corrected_output", "final_output"):
            assert record[key] == payload.get(key), (record["trace_id"], key)
            assert json.dumps(record[key]) == json.dumps(payload.get(key)), (record["trace_id"], key, "member order")


def test_prompts_agree_with_source_payload():
    for versions in PROMPTS.values():
        for record in versions:
            payload = record["source_payload"]
            assert record["project_id"] == payload["project_id"]
            assert record["prompt_version_id"] == payload["id"]
            assert record["prompt_key"] is None
            for key in ("version", "is_active", "parent_id", "created_at", "created_by", "rationale", "content"):
                assert record[key] == payload[key], (record["prompt_version_id"], key)
            assert record["origin"] == payload["source"]
            assert all(record[k] is None for k in ("model", "provider", "temperature", "top_p", "max_output_tokens"))


def test_exact_numbers_survive_and_hash_as_doubles():
    lines = [line for path in TRACE_FILES for line in lines_of(path) if "9007199254740993" in line]
    assert len(lines) == 1, "one trace carries 2^53 + 1"
    record = parse_exact(lines[0])
    assert record["model_output"]["account_number"] == "9007199254740993"
    assert record["source_payload"]["model_output"]["account_number"] == "9007199254740993"
    canonical = canonicalize(json.loads(lines[0])["model_output"])
    assert '"account_number":9007199254740992' in canonical
    assert "9007199254740993" not in canonical
    # The other shapes the canonical form has to handle are all present somewhere.
    outputs = [canonicalize(r["model_output"]) for r in TRACES]
    nested = [r for r in TRACES if any(isinstance(v, (dict, list)) for v in r["model_output"].values())]
    assert len(nested) >= 2
    assert any("e-7" in text for text in outputs) and any("e+29" in text for text in outputs)
    assert any("\u2028" in text for text in outputs) and any("\\u0007" in text for text in outputs)
    assert any(not text.isascii() for text in outputs)


# ----------------------------------------------------------------------------- state


def test_state_matches_the_data():
    assert sorted(STATE_DOC["streams"]) == PROJECTS
    pulled = parse_time(STATE_DOC["updated_at"])
    assert pulled >= parse_time(WORKSPACE_DOC["created_at"])
    for project, stream in STATE_DOC["streams"].items():
        versions = PROMPTS[project]
        assert stream["prompts"]["high_water_mark"] == max(versions, key=lambda r: parse_time(r["created_at"]))["created_at"]
        traces = [r for r in TRACES if r["project_id"] == project]
        latest = max(traces, key=lambda r: (parse_time(r["updated_at"] or r["created_at"]), r["trace_id"]))
        assert stream["traces"]["cursor"] is None
        assert stream["traces"]["high_water_mark"] == (latest["updated_at"] or latest["created_at"])
        assert stream["traces"]["last_trace_id"] == latest["trace_id"]
        for record in traces:
            assert parse_time(record["updated_at"] or record["created_at"]) <= pulled, record["trace_id"]


# ----------------------------------------------------------------------------- RFC 8785 itself


def _double(bits: str) -> float:
    return struct.unpack(">d", bytes.fromhex(bits))[0]


@pytest.mark.parametrize(
    ("bits", "expected"),
    [
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"),
        ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"),
        ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"),
        ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"),
        ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ],
)
def test_jcs_numbers_rfc8785_appendix_b(bits: str, expected: str):
    assert es_number(_double(bits)) == expected


def test_jcs_rfc8785_examples():
    # RFC 8785 section 3.2.2 (serialization) and 3.2.3 (sorting).
    source = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonicalize(json.loads(source)) == expected
    sorting = json.loads(
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",'
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",'
        ' "\\u00f6": "Latin Small Letter O With Diaeresis"}'
    )
    names = [name for name in json.loads(canonicalize(sorting))]
    assert names == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert es_number(9007199254740993) == "9007199254740992"
    with pytest.raises(ValueError):
        canonicalize("\ud800")


# ----------------------------------------------------------------------------- determinism


def test_generator_is_deterministic(tmp_path: Path):
    result = subprocess.run([sys.executable, str(GENERATOR), "--root", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for directory in ("workspace", "prompttrail"):
        ours = {p.relative_to(SAMPLES / directory): p.read_bytes() for p in (SAMPLES / directory).rglob("*") if p.is_file()}
        fresh = {p.relative_to(tmp_path / "samples" / directory): p.read_bytes() for p in (tmp_path / "samples" / directory).rglob("*") if p.is_file()}
        assert sorted(map(str, ours)) == sorted(map(str, fresh)), f"samples/{directory}: different file sets"
        changed = sorted(str(path) for path in ours if ours[path] != fresh[path])
        assert not changed, f"samples/{directory}: regenerated files differ: {changed}"
    fresh_index = json.loads((tmp_path / "samples" / "index.json").read_text(encoding="utf-8"))["samples"]
    index = json.loads((SAMPLES / "index.json").read_text(encoding="utf-8"))["samples"]
    ours = [e for e in index if e["path"].startswith("samples/prompttrail/")]
    assert ours == fresh_index, "samples/index.json is out of date for samples/prompttrail/"
