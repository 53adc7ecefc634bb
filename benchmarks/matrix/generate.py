#!/usr/bin/env python3
"""Seeded documents for the validation matrix (benchmarks/validate_matrix.sh): users' own schemas and
data, not PromptTrail's. Independent of every other generator in the repository.

    generate.py --schemas DIR                         write the six schemas (JSON Schema 2020-12)
    generate.py --schema NAME --shape SHAPE --records N [--seed S] --out FILE.ndjson
    generate.py --list                                the schema and shape names

Shapes vary the content, not the document kind: `ascii` (short ASCII text), `multibyte` (accented,
CJK, Cyrillic and emoji text in 2-16 KB strings), `deep` (the deepest structure each schema allows),
`wide` (many small objects and long numeric arrays). One document in a hundred is made invalid, in a
way chosen by the seed (a broken pattern, a too-long string, a wrong enum or const, an extra
property, a missing member, a duplicate item, a wrong type); line numbers of the invalid documents
are the same whichever validator checks them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SHAPES = ("ascii", "multibyte", "deep", "wide")

# --- the schemas -------------------------------------------------------------------------------------

SCHEMAS: dict[str, dict] = {
    # A reviewed LLM trace: the keywords of the report that started the matrix.
    "review": {
        "$schema": DRAFT,
        "type": "object",
        "required": ["trace_id", "status", "prompt", "messages", "created_at"],
        "additionalProperties": False,
        "properties": {
            "trace_id": {"type": "string", "pattern": "^tr_[A-Za-z0-9]{8,32}$"},
            "status": {"enum": ["approved", "corrected", "rejected"]},
            "prompt": {"type": "string", "minLength": 1, "maxLength": 20000},
            "messages": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/message"}},
            "corrected_output": {"anyOf": [{"type": "string", "maxLength": 20000}, {"type": "null"}]},
            "reviewer": {"anyOf": [{"type": "string", "format": "email"}, {"type": "null"}]},
            "created_at": {"type": "string", "format": "date-time"},
            "scores": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        },
        "if": {"properties": {"status": {"const": "corrected"}}},
        "then": {"required": ["corrected_output"], "properties": {"corrected_output": {"type": "string"}}},
        "$defs": {
            "message": {
                "type": "object",
                "required": ["role", "content"],
                "additionalProperties": False,
                "properties": {
                    "role": {"enum": ["system", "user", "assistant", "tool"]},
                    "content": {"type": "string", "maxLength": 20000},
                    "name": {"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,63}$"},
                },
            }
        },
    },
    # A tool-call log: oneOf over discriminated call kinds, unevaluatedProperties.
    "toolcalls": {
        "$schema": DRAFT,
        "type": "object",
        "required": ["run_id", "calls"],
        "properties": {
            "run_id": {"type": "string", "format": "uuid"},
            "calls": {"type": "array", "items": {"$ref": "#/$defs/call"}},
        },
        "unevaluatedProperties": False,
        "$defs": {
            "base": {
                "type": "object",
                "required": ["kind", "id"],
                "properties": {"id": {"type": "string", "pattern": "^call_[0-9a-f]{12}$"}, "latency_ms": {"type": "integer", "minimum": 0}},
            },
            "call": {
                "oneOf": [
                    {
                        "$ref": "#/$defs/base",
                        "properties": {"kind": {"const": "function"}, "name": {"type": "string"}, "arguments": {"type": "object"}},
                        "required": ["name"],
                        "unevaluatedProperties": False,
                    },
                    {
                        "$ref": "#/$defs/base",
                        "properties": {"kind": {"const": "retrieval"}, "query": {"type": "string", "minLength": 1}, "hits": {"type": "array", "items": {"type": "string"}}},
                        "required": ["query"],
                        "unevaluatedProperties": False,
                    },
                    {
                        "$ref": "#/$defs/base",
                        "properties": {"kind": {"const": "code"}, "source": {"type": "string"}, "exit_code": {"type": "integer"}},
                        "required": ["source"],
                        "unevaluatedProperties": False,
                    },
                ]
            },
        },
    },
    # An evaluation result: enum/const, dependentRequired, uniqueItems on objects.
    "evaluation": {
        "$schema": DRAFT,
        "type": "object",
        "required": ["kind", "suite", "labels", "verdict"],
        "properties": {
            "kind": {"const": "evaluation"},
            "suite": {"type": "string", "minLength": 3, "maxLength": 64},
            "verdict": {"enum": ["pass", "fail", "skip", None]},
            "labels": {
                "type": "array",
                "uniqueItems": True,
                "items": {
                    "type": "object",
                    "required": ["key", "value"],
                    "properties": {"key": {"type": "string"}, "value": {"type": ["string", "number", "boolean"]}},
                    "additionalProperties": False,
                },
            },
            "notes": {"type": "string"},
            "grader": {"type": "string"},
            "grader_version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"},
        },
        "dependentRequired": {"grader": ["grader_version"]},
    },
    # A nested document tree: recursion through $defs.
    "tree": {
        "$schema": DRAFT,
        "$ref": "#/$defs/node",
        "$defs": {
            "node": {
                "type": "object",
                "required": ["tag"],
                "properties": {
                    "tag": {"enum": ["section", "paragraph", "list", "item", "quote", "code"]},
                    "text": {"type": "string", "maxLength": 20000},
                    "attributes": {"type": "object", "propertyNames": {"pattern": "^[a-z-]+$"}, "additionalProperties": {"type": "string"}},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
                "additionalProperties": False,
            }
        },
    },
    # Model metrics: long numeric arrays and many small objects.
    "metrics": {
        "$schema": DRAFT,
        "type": "object",
        "required": ["model", "latencies_ms", "tokens"],
        "properties": {
            "model": {"type": "string", "pattern": "^[a-z0-9-]+(:[a-z0-9.-]+)?$"},
            "latencies_ms": {"type": "array", "minItems": 1, "items": {"type": "number", "minimum": 0, "maximum": 600000}},
            "embedding": {"type": "array", "items": {"type": "number", "minimum": -1, "maximum": 1}},
            "tokens": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["t", "p"],
                    "properties": {"t": {"type": "string", "maxLength": 64}, "p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}},
                    "additionalProperties": False,
                },
            },
        },
    },
    # A prompt catalog entry: enums, patternProperties, format annotations.
    "catalog": {
        "$schema": DRAFT,
        "type": "object",
        "required": ["slug", "owner", "versions"],
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80},
            "owner": {"type": "string", "format": "email"},
            "homepage": {"type": "string", "format": "uri"},
            "visibility": {"enum": ["private", "team", "public"]},
            "versions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["number", "content", "created"],
                    "properties": {
                        "number": {"type": "integer", "minimum": 1},
                        "content": {"type": "string", "minLength": 1, "maxLength": 16384},
                        "created": {"type": "string", "format": "date-time"},
                        "provider": {"enum": ["openai", "anthropic", "google", "mistral", "local"]},
                        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "patternProperties": {"^x-[a-z]+$": {"type": "string"}},
        "additionalProperties": False,
    },
}

# --- text --------------------------------------------------------------------------------------------

ASCII_WORDS = "the model output review prompt token answer invoice total customer order summary field value".split()
MULTIBYTE = (
    "déjà vu naïve café résumé façade Ærø Øresund "
    "東京 大阪 模型 回答 提示 評価 データ 検証 "
    "привет мир данные ответ модель "
    "😀 🚀 ✅ ∑ ≤ ≥ → ★ ♫ 🧪 "
)


class Text:
    """Blocks of seeded text, concatenated into strings of a wanted size (fast for 16 KB strings)."""

    def __init__(self, rng: random.Random, multibyte: bool) -> None:
        alphabet = MULTIBYTE if multibyte else " ".join(ASCII_WORDS) + " "
        self.blocks = []
        for _ in range(64):
            start = rng.randrange(len(alphabet))
            block = (alphabet[start:] + alphabet[:start]) * 8
            self.blocks.append("".join(rng.sample(block, len(block))))
        self.rng = rng

    def string(self, size: int) -> str:
        parts: list[str] = []
        length = 0
        while length < size:
            block = self.rng.choice(self.blocks)
            parts.append(block)
            length += len(block)
        return "".join(parts)[:size].strip() or "x"


def text_size(rng: random.Random, shape: str) -> int:
    if shape == "multibyte":
        return rng.randint(2048, 16384) // 3  # code points; 2-16 KB of UTF-8
    return rng.randint(16, 400)


def timestamp(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def token(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
HEX = "0123456789abcdef"

# --- documents ---------------------------------------------------------------------------------------


def review(rng: random.Random, text: Text, shape: str) -> dict:
    count = {"deep": 12, "wide": 60}.get(shape, 3)
    status = rng.choice(["approved", "corrected", "rejected"])
    document = {
        "trace_id": "tr_" + token(rng, ALNUM, rng.randint(8, 32)),
        "status": status,
        "prompt": text.string(text_size(rng, shape)),
        "messages": [
            {"role": rng.choice(["system", "user", "assistant"]), "content": text.string(text_size(rng, shape) // 2)}
            | ({"name": "tool_" + token(rng, "abc123", 6)} if rng.random() < 0.3 else {})
            for _ in range(count)
        ],
        "reviewer": rng.choice([None, "reviewer@example.com"]),
        "created_at": timestamp(rng),
    }
    if shape == "wide":
        document["scores"] = {f"metric_{index}": rng.random() for index in range(80)}
    if status == "corrected" or rng.random() < 0.2:
        document["corrected_output"] = text.string(text_size(rng, shape)) if status == "corrected" else None
    return document


def review_invalid(rng: random.Random, document: dict) -> None:
    choice = rng.randrange(6)
    if choice == 0:
        document["trace_id"] = "tr-" + document["trace_id"][3:]
    elif choice == 1:
        document["prompt"] = "é" * 20001
    elif choice == 2:
        document["status"] = "pending"
    elif choice == 3:
        document["messages"][0]["extra"] = True
    elif choice == 4:
        document["status"] = "corrected"
        document["corrected_output"] = None
    else:
        document["messages"] = []


def toolcalls(rng: random.Random, text: Text, shape: str) -> dict:
    count = {"deep": 20, "wide": 120}.get(shape, 6)
    calls = []
    for _ in range(count):
        call = {"id": "call_" + token(rng, HEX, 12), "latency_ms": rng.randint(0, 5000)}
        kind = rng.choice(["function", "retrieval", "code"])
        call["kind"] = kind
        if kind == "function":
            arguments: dict = {"q": text.string(text_size(rng, shape) // 4)}
            node = arguments
            for level in range(8 if shape == "deep" else 1):
                node["next"] = {"level": level}
                node = node["next"]
            call |= {"name": "lookup", "arguments": arguments}
        elif kind == "retrieval":
            call |= {"query": text.string(text_size(rng, shape) // 4), "hits": [token(rng, ALNUM, 10) for _ in range(5)]}
        else:
            call |= {"source": text.string(text_size(rng, shape) // 2), "exit_code": 0}
        calls.append(call)
    uuid = f"{token(rng, HEX, 8)}-{token(rng, HEX, 4)}-4{token(rng, HEX, 3)}-a{token(rng, HEX, 3)}-{token(rng, HEX, 12)}"
    return {"run_id": uuid, "calls": calls}


def toolcalls_invalid(rng: random.Random, document: dict) -> None:
    call = document["calls"][0]
    choice = rng.randrange(4)
    if choice == 0:
        call["kind"] = "shell"
    elif choice == 1:
        call["unexpected"] = 1
    elif choice == 2:
        call["id"] = "call_XYZ"
    else:
        document["extra"] = "x"


def evaluation(rng: random.Random, text: Text, shape: str) -> dict:
    count = {"deep": 10, "wide": 200}.get(shape, 8)
    labels = [{"key": f"k{index}", "value": rng.choice([text.string(12), rng.random(), True])} for index in range(count)]
    document = {
        "kind": "evaluation",
        "suite": "suite-" + token(rng, ALNUM, 8),
        "verdict": rng.choice(["pass", "fail", "skip", None]),
        "labels": labels,
        "notes": text.string(text_size(rng, shape)),
    }
    if rng.random() < 0.5:
        document |= {"grader": "rubric", "grader_version": f"{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"}
    return document


def evaluation_invalid(rng: random.Random, document: dict) -> None:
    choice = rng.randrange(4)
    if choice == 0:
        document["labels"].append(dict(document["labels"][0]))
    elif choice == 1:
        document["kind"] = "eval"
    elif choice == 2:
        document["grader"] = "rubric"
        document.pop("grader_version", None)
    else:
        document["verdict"] = "maybe"


def tree(rng: random.Random, text: Text, shape: str) -> dict:
    depth, breadth = {"deep": (24, 1), "wide": (2, 12)}.get(shape, (4, 3))

    def node(level: int) -> dict:
        item = {"tag": rng.choice(["section", "paragraph", "list", "item", "quote", "code"])}
        if rng.random() < 0.7:
            item["text"] = text.string(text_size(rng, shape) // (4 if shape != "multibyte" else 8))
        if rng.random() < 0.3:
            item["attributes"] = {"data-id": token(rng, ALNUM, 6)}
        if level < depth:
            item["children"] = [node(level + 1) for _ in range(breadth)]
        return item

    return node(0)


def tree_invalid(rng: random.Random, document: dict) -> None:
    node = document
    while node.get("children"):
        node = node["children"][-1]
    choice = rng.randrange(3)
    if choice == 0:
        node["tag"] = "table"
    elif choice == 1:
        node["attributes"] = {"Data_ID": "x"}
    else:
        node["style"] = "bold"


def metrics(rng: random.Random, text: Text, shape: str) -> dict:
    latencies, embedding, tokens = {"wide": (1000, 768, 200), "deep": (50, 64, 40)}.get(shape, (20, 16, 20))
    return {
        "model": rng.choice(["gpt-4o", "claude-3:2024.06", "mistral-large", "llama-3:70b"]),
        "latencies_ms": [round(rng.uniform(0, 60000), 3) for _ in range(latencies)],
        "embedding": [round(rng.uniform(-1, 1), 6) for _ in range(embedding)],
        "tokens": [{"t": text.string(rng.randint(1, 12))[:64], "p": round(rng.uniform(0.001, 1), 4)} for _ in range(tokens)],
    }


def metrics_invalid(rng: random.Random, document: dict) -> None:
    choice = rng.randrange(4)
    if choice == 0:
        document["latencies_ms"][-1] = -1
    elif choice == 1:
        document["embedding"][0] = 1.5
    elif choice == 2:
        document["tokens"][0]["p"] = 0
    else:
        document["model"] = "GPT 4"


def catalog(rng: random.Random, text: Text, shape: str) -> dict:
    count = {"deep": 6, "wide": 40}.get(shape, 4)
    document = {
        "slug": "-".join(token(rng, "abcdefghijklmnopqrstuvwxyz0123456789", rng.randint(2, 8)) for _ in range(3)),
        "owner": f"{token(rng, 'abcdefgh', 6)}@example.org",
        "homepage": "https://prompts.example.org/" + token(rng, ALNUM, 10),
        "visibility": rng.choice(["private", "team", "public"]),
        "versions": [
            {
                "number": index + 1,
                "content": text.string(min(text_size(rng, shape), 16000 // (3 if shape == "multibyte" else 1))),
                "created": timestamp(rng),
                "provider": rng.choice(["openai", "anthropic", "google", "mistral", "local"]),
                "temperature": round(rng.uniform(0, 2), 2),
            }
            for index in range(count)
        ],
    }
    for index in range(30 if shape == "wide" else 2):
        document[f"x-{'abcdefghij'[index % 10]}{'klmnopqrst'[index // 10]}"] = text.string(20)
    return document


def catalog_invalid(rng: random.Random, document: dict) -> None:
    choice = rng.randrange(4)
    if choice == 0:
        document["slug"] = "Bad Slug"
    elif choice == 1:
        document["versions"][0]["number"] = 0
    elif choice == 2:
        document["X-Custom"] = "x"
    else:
        document["versions"][0]["content"] = "ü" * 16385


GENERATORS = {
    "review": (review, review_invalid),
    "toolcalls": (toolcalls, toolcalls_invalid),
    "evaluation": (evaluation, evaluation_invalid),
    "tree": (tree, tree_invalid),
    "metrics": (metrics, metrics_invalid),
    "catalog": (catalog, catalog_invalid),
}


def documents(schema: str, shape: str, records: int, seed: int):
    """Yields (document, is_invalid) pairs, deterministic in (schema, shape, records order, seed)."""
    rng = random.Random(f"{seed}:{schema}:{shape}")
    text = Text(rng, multibyte=shape == "multibyte")
    make, spoil = GENERATORS[schema]
    for _ in range(records):
        document = make(rng, text, shape)
        invalid = rng.random() < 0.01
        if invalid:
            spoil(rng, document)
        yield document, invalid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schemas", type=Path)
    parser.add_argument("--schema", choices=sorted(SCHEMAS))
    parser.add_argument("--shape", choices=SHAPES)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--list", action="store_true")
    arguments = parser.parse_args()
    if arguments.list:
        print(" ".join(sorted(SCHEMAS)))
        print(" ".join(SHAPES))
        return 0
    if arguments.schemas:
        arguments.schemas.mkdir(parents=True, exist_ok=True)
        for name, schema in SCHEMAS.items():
            (arguments.schemas / f"{name}.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        return 0
    if not (arguments.schema and arguments.shape and arguments.out):
        parser.error("give --schemas DIR, or --schema, --shape and --out")
    with open(arguments.out, "w", encoding="utf-8") as out:
        for document, _ in documents(arguments.schema, arguments.shape, arguments.records, arguments.seed):
            out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
