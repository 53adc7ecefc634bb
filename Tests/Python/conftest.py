"""Shared fixtures for the Python-side checks of schemas/ and samples/.

Python's `jsonschema` is the independent judge of the bundled schemas: every schema under
`schemas/` is loaded into one `referencing.Registry` keyed by its `$id`, so cross-schema `$ref`s
resolve offline, exactly as PromptTrail's own validator resolves them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
SAMPLES = ROOT / "samples"


def _max_utf8_bytes(validator, limit, instance, schema):
    """PromptTrail's `maxUtf8Bytes` keyword: a string's UTF-8 encoding is at most `limit` bytes."""
    if isinstance(instance, str):
        size = len(instance.encode("utf-8"))
        if size > limit:
            from jsonschema.exceptions import ValidationError

            yield ValidationError(f"{size:,} bytes of UTF-8; the limit is {limit:,}")


#: Draft 2020-12 plus PromptTrail's vocabulary (`maxUtf8Bytes`).
PromptTrailValidator = extend(Draft202012Validator, {"maxUtf8Bytes": _max_utf8_bytes})


def load_schemas() -> dict[str, dict]:
    """Every bundled schema, keyed by `$id`."""
    schemas: dict[str, dict] = {}
    for path in sorted(SCHEMAS.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        schema_id = document.get("$id")
        assert schema_id, f"{path.relative_to(ROOT)} has no $id"
        assert schema_id not in schemas, f"duplicate $id {schema_id} ({path.relative_to(ROOT)})"
        schemas[schema_id] = document
    return schemas


def build_registry(schemas: dict[str, dict]) -> Registry:
    resources = [(sid, Resource.from_contents(doc, default_specification=DRAFT202012)) for sid, doc in schemas.items()]
    return Registry().with_resources(resources)


@pytest.fixture(scope="session")
def schemas() -> dict[str, dict]:
    return load_schemas()


@pytest.fixture(scope="session")
def registry(schemas) -> Registry:
    return build_registry(schemas)


@pytest.fixture(scope="session")
def make_validator(schemas, registry):
    """`make_validator(schema_id, portable=False)` → a validator with format checking on.

    `portable=True` gives a plain Draft 2020-12 validator that ignores PromptTrail's keywords,
    as any other validator would.
    """

    def factory(schema_id: str, portable: bool = False):
        cls = Draft202012Validator if portable else PromptTrailValidator
        return cls(schemas[schema_id], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

    return factory
