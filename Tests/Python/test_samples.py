"""Checks of the bundled schemas and of every sample listed in samples/index.json.

For each index entry: the sample exists and parses, its schema is bundled, PromptTrail's validator
(Draft 2020-12 plus `maxUtf8Bytes`) gives the verdict the index states, an invalid sample fails for
the reason its `expect` names, and a plain Draft 2020-12 validator agrees (or, for entries marked
`"portable": false`, disagrees, because only `maxUtf8Bytes` catches them).

Run: python3 -m pytest -q Tests/Python/test_samples.py
Format checks (date-time, uri) need `jsonschema[format-nongpl]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from conftest import ROOT, SAMPLES, SCHEMAS, build_registry, load_schemas

INDEX = SAMPLES / "index.json"
ID_PATTERN = re.compile(r"^https://schemas\.prompttrail\.dev/(meta|tuor|tracia|prompttrail)/([a-z0-9]+(?:-[a-z0-9]+)*)/v1\.json$")
DIALECT = "https://schemas.prompttrail.dev/meta/dialect/v1.json"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
EXCLUDED = {SAMPLES / "index.json"}
EXCLUDED_DIRS = {SAMPLES / "workspace"}


def _index_entries() -> list[dict]:
    return json.loads(INDEX.read_text(encoding="utf-8"))["samples"]


ENTRIES = _index_entries()
INVALID_ENTRIES = [e for e in ENTRIES if not e["valid"]]
SCHEMA_FILES = sorted(SCHEMAS.rglob("*.json"))
NON_META_SCHEMA_FILES = [p for p in SCHEMA_FILES if p.parent.name != "meta"]


def _entry_id(entry: dict) -> str:
    return entry["path"].removeprefix("samples/").removesuffix(".json")


def _schema_file_id(path: Path) -> str:
    return str(path.relative_to(SCHEMAS).with_suffix(""))


def _load_sample(entry: dict):
    return json.loads((ROOT / entry["path"]).read_text(encoding="utf-8"))


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _walk(errors) -> Iterator[ValidationError]:
    """Every error, including those nested in the context of anyOf/oneOf failures."""
    for error in errors:
        yield error
        yield from _walk(error.context or ())


# ----------------------------------------------------------------------------- the index itself


def test_index_is_sorted_unique_and_well_formed():
    paths = [e["path"] for e in ENTRIES]
    assert paths == sorted(paths), "samples/index.json entries must be sorted by path"
    assert len(paths) == len(set(paths)), "samples/index.json lists a path twice"
    for entry in ENTRIES:
        assert {"path", "schema", "valid", "reason"} <= entry.keys(), entry
        assert isinstance(entry["valid"], bool), entry
        assert entry["reason"].strip(), entry
        assert entry.get("portable", False) is False, f"{entry['path']}: portable is only ever written as false"
        if entry["valid"]:
            assert "expect" not in entry, f"{entry['path']}: a valid sample has no expected error"


def test_index_file_formatting():
    text = INDEX.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_every_sample_file_is_indexed():
    indexed = {ROOT / e["path"] for e in ENTRIES}
    on_disk = {
        p
        for p in SAMPLES.rglob("*")
        if p.is_file() and p not in EXCLUDED and not any(d in p.parents for d in EXCLUDED_DIRS)
    }
    missing = sorted(str(p.relative_to(ROOT)) for p in on_disk - indexed)
    assert not missing, f"sample files not listed in samples/index.json: {missing}"


@pytest.mark.parametrize("schema_path", NON_META_SCHEMA_FILES, ids=_schema_file_id)
def test_every_schema_has_valid_and_invalid_samples(schema_path, schemas):
    schema_id = json.loads(schema_path.read_text(encoding="utf-8"))["$id"]
    verdicts = {e["valid"] for e in ENTRIES if e["schema"] == schema_id}
    assert True in verdicts, f"{schema_id} has no valid sample"
    assert False in verdicts, f"{schema_id} has no invalid sample"


# ----------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("schema_path", SCHEMA_FILES, ids=_schema_file_id)
def test_schema_is_valid_2020_12(schema_path):
    Draft202012Validator.check_schema(json.loads(schema_path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("schema_path", SCHEMA_FILES, ids=_schema_file_id)
def test_schema_id_matches_path(schema_path):
    document = json.loads(schema_path.read_text(encoding="utf-8"))
    match = ID_PATTERN.match(document.get("$id", ""))
    assert match, f"$id {document.get('$id')!r} does not follow https://schemas.prompttrail.dev/<group>/<name>/v1.json"
    group, name = match.groups()
    assert schema_path.relative_to(SCHEMAS) == Path(group) / f"{name}.json"
    expected_dialect = DRAFT_2020_12 if group == "meta" else DIALECT
    assert document.get("$schema") == expected_dialect
    assert document.get("title") and document.get("description")


@pytest.mark.parametrize("schema_path", NON_META_SCHEMA_FILES, ids=_schema_file_id)
def test_schema_is_valid_against_prompttrail_dialect(schema_path, schemas, registry):
    """The dialect adds the limits vocabulary, so this also checks every maxUtf8Bytes value."""
    dialect = Draft202012Validator(schemas[DIALECT], registry=registry)
    errors = [f"{_pointer(e.absolute_path)}: {e.message}" for e in dialect.iter_errors(json.loads(schema_path.read_text(encoding="utf-8")))]
    assert not errors, errors


def test_dialect_rejects_a_bad_max_utf8_bytes(schemas, registry):
    dialect = Draft202012Validator(schemas[DIALECT], registry=registry)
    bad = {"$schema": DIALECT, "type": "object", "properties": {"content": {"type": "string", "maxUtf8Bytes": -1}}}
    assert not dialect.is_valid(bad)
    assert any(e.validator == "minimum" for e in _walk(dialect.iter_errors(bad)))


def test_every_schema_ref_resolves_offline(schemas):
    """load_schemas/build_registry succeed and every $ref target is a bundled (or standard) schema."""
    registry = build_registry(load_schemas())
    for document in schemas.values():
        for ref in _refs(document):
            base = ref.split("#", 1)[0]
            if base and base != DRAFT_2020_12:
                assert base in schemas, f"{document['$id']} refers to unbundled {ref}"
                registry.resolver().lookup(ref)


def _refs(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


# ----------------------------------------------------------------------------- samples


@pytest.mark.parametrize("entry", ENTRIES, ids=_entry_id)
def test_sample_verdict(entry, schemas, make_validator):
    sample_path = ROOT / entry["path"]
    assert sample_path.is_file(), f"{entry['path']} is listed but missing"
    text = sample_path.read_text(encoding="utf-8")
    assert text.endswith("\n"), f"{entry['path']} has no final newline"
    instance = json.loads(text)
    assert entry["schema"] in schemas, f"{entry['path']}: unknown schema {entry['schema']}"

    errors = list(make_validator(entry["schema"]).iter_errors(instance))
    assert (not errors) == entry["valid"], (
        f"{entry['path']}: expected {'valid' if entry['valid'] else 'invalid'}; "
        f"errors: {[f'{_pointer(e.absolute_path)} {e.validator}: {e.message[:120]}' for e in errors]}"
    )

    portable_valid = make_validator(entry["schema"], portable=True).is_valid(instance)
    if entry.get("portable", True):
        assert portable_valid == entry["valid"], f"{entry['path']}: a plain 2020-12 validator disagrees"
    else:
        assert portable_valid != entry["valid"], (
            f"{entry['path']} is marked portable: false, but a plain 2020-12 validator gives the same verdict"
        )


@pytest.mark.parametrize("entry", INVALID_ENTRIES, ids=_entry_id)
def test_invalid_sample_fails_for_the_named_reason(entry, make_validator):
    expect = entry.get("expect")
    assert expect, f"{entry['path']}: invalid samples need an expect field (keyword and/or instancePath)"
    assert set(expect) <= {"keyword", "instancePath"} and expect, expect
    errors = list(_walk(make_validator(entry["schema"]).iter_errors(_load_sample(entry))))
    found = [
        e
        for e in errors
        if ("keyword" not in expect or e.validator == expect["keyword"])
        and ("instancePath" not in expect or _pointer(e.absolute_path) == expect["instancePath"])
    ]
    assert found, (
        f"{entry['path']}: no error matches {expect}; got "
        f"{sorted({(_pointer(e.absolute_path), e.validator) for e in errors})}"
    )
