"""The validation matrix's generator (benchmarks/matrix/generate.py) keeps its word: the committed schemas
are the ones it writes, every document it marks invalid is invalid and every other one valid (Python's
`jsonschema` as the judge), and the same seed gives the same bytes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ROOT / "benchmarks" / "matrix"

spec = importlib.util.spec_from_file_location("matrix_generate", MATRIX / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.mark.parametrize("name", sorted(generate.SCHEMAS))
def test_committed_schema_is_the_generators(name):
    committed = json.loads((MATRIX / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    assert committed == generate.SCHEMAS[name]
    Draft202012Validator.check_schema(committed)


@pytest.mark.parametrize("shape", generate.SHAPES)
@pytest.mark.parametrize("name", sorted(generate.SCHEMAS))
def test_marked_documents_and_only_they_are_invalid(name, shape):
    validator = Draft202012Validator(generate.SCHEMAS[name])
    documents = list(generate.documents(name, shape, 40, seed=11))
    # Enough invalid documents to mean something: force every spoiler to run too.
    rng = generate.random.Random(5)
    make, spoil = generate.GENERATORS[name]
    text = generate.Text(rng, multibyte=shape == "multibyte")
    for _ in range(12):
        document = make(rng, text, shape)
        spoil(rng, document)
        documents.append((document, True))
    for number, (document, invalid) in enumerate(documents, 1):
        # Round-trip through JSON text, as the validators see it.
        document = json.loads(json.dumps(document, ensure_ascii=False))
        assert validator.is_valid(document) == (not invalid), f"document {number}: marked invalid={invalid}"


def test_same_seed_same_bytes():
    first = [json.dumps(d, ensure_ascii=False) for d, _ in generate.documents("review", "multibyte", 20, seed=3)]
    again = [json.dumps(d, ensure_ascii=False) for d, _ in generate.documents("review", "multibyte", 20, seed=3)]
    other = [json.dumps(d, ensure_ascii=False) for d, _ in generate.documents("review", "multibyte", 20, seed=4)]
    assert first == again
    assert first != other
