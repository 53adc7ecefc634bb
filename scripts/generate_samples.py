#!/usr/bin/env python3
"""Write the generated upstream samples (large or deeply nested payloads) and their index entries.

The output is deterministic: running the script twice gives byte-identical files. Besides its own
samples, the script touches only its own entries in samples/index.json: it loads the index, replaces
the entries whose paths it writes, sorts by path and writes the file back, so entries added by
others are kept.

Usage: python3 scripts/generate_samples.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
INDEX = SAMPLES / "index.json"

CAP = 16_384  # Tuor's "16 KB" prompt cap, read by PromptTrail as 16,384 UTF-8 bytes.
URL_CAP = 2_048  # Tuor's webhook_url limit, in characters.
MAX_DEPTH = 10  # Tuor's per-field nesting limit, counted as in tuor/trace-ingest-request.

ASCII_LINE = "You are a careful financial assistant. Extract every field exactly as written in the source.\n"
LATIN_LINE = "Prüfe jede Zahl genau — Beträge in €, Daten im Format JJJJ-MM-TT, Namen ohne Kürzel.\n"
CJK_LINE = "あなたは慎重な財務アシスタントです。原文どおりにすべての項目を抽出してください。\n"


def schema_id(name: str) -> str:
    return f"https://schemas.prompttrail.dev/{name}/v1.json"


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def text_of_bytes(line: str, size: int) -> str:
    """Repeat `line` to exactly `size` bytes of UTF-8, padding with ASCII dots where a character would not fit."""
    out: list[str] = []
    used = 0
    while True:
        for ch in line:
            n = utf8_len(ch)
            if used + n > size:
                out.append("." * (size - used))
                text = "".join(out)
                assert utf8_len(text) == size
                return text
            out.append(ch)
            used += n


def text_of_code_points(line: str, count: int) -> str:
    """Repeat `line` to exactly `count` code points."""
    text = (line * (count // len(line) + 1))[:count]
    assert len(text) == count
    return text


def nested_object(depth: int) -> tuple[dict, list[str]]:
    """An object `depth` containers deep; also the keys leading to the innermost container."""
    node: dict = {"leaf": "value"}
    for _ in range(depth - 1):
        node = {"child": node}
    return node, ["child"] * (depth - 1)


def nested_array(depth: int) -> tuple[list, list[str]]:
    """An array `depth` containers deep; also the indexes leading to the innermost container."""
    node: list = [1, 2]
    for _ in range(depth - 1):
        node = [node]
    return node, ["0"] * (depth - 1)


def pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def build() -> list[tuple[str, object, dict]]:
    """(path, payload, index entry without path) for every generated sample."""
    samples: list[tuple[str, object, dict]] = []

    def add(path: str, payload: object, schema: str, reason: str, expect: dict | None = None, portable: bool = True):
        entry: dict = {"schema": schema_id(schema), "valid": expect is None, "reason": reason}
        if expect is not None:
            entry["expect"] = expect
        if not portable:
            entry["portable"] = False
        samples.append((path, payload, entry))

    ascii_cap = text_of_bytes(ASCII_LINE, CAP)
    ascii_over = text_of_bytes(ASCII_LINE, CAP + 1)
    latin_cap = text_of_bytes(LATIN_LINE, CAP)
    latin_over = text_of_code_points(LATIN_LINE, CAP)
    cjk_over = text_of_code_points(CJK_LINE, 6_000)
    assert len(latin_cap) < CAP and len(latin_over) == CAP and utf8_len(latin_over) > CAP
    assert len(cjk_over) <= CAP < utf8_len(cjk_over)

    s = "tuor/prompt-create-request"
    add("samples/tuor/prompt-create-request.valid.content-16384-bytes.json", {"content": ascii_cap}, s,
        "content of exactly 16,384 bytes (ASCII) is at the cap")
    add("samples/tuor/prompt-create-request.valid.multibyte-16384-bytes.json", {"content": latin_cap}, s,
        f"multi-byte content of exactly 16,384 bytes ({len(latin_cap):,} code points) is at the cap")
    add("samples/tuor/prompt-create-request.content-over-16kb.json", {"content": ascii_over}, s,
        "content of 16,385 bytes (ASCII) is one byte over the cap",
        {"keyword": "maxUtf8Bytes", "instancePath": "/content"})
    add("samples/tuor/prompt-create-request.content-multibyte-over-16kb.json", {"content": latin_over}, s,
        f"16,384 code points but {utf8_len(latin_over):,} bytes: over the byte cap, within maxLength",
        {"keyword": "maxUtf8Bytes", "instancePath": "/content"}, portable=False)

    add("samples/tuor/prompt-version.content-over-16kb.json",
        {
            "id": "prm_abc123",
            "project_id": "proj_abc123",
            "org_id": "org_7f2k9q",
            "version": 3,
            "content": ascii_over,
            "source": "manual",
            "is_active": True,
            "parent_id": None,
            "rationale": None,
            "lineage_event_ids": [],
            "created_at": "2026-05-20T10:00:00Z",
            "created_by": "user_1abc",
        },
        "tuor/prompt-version", "stored content is under the same 16,384-byte cap",
        {"keyword": "maxUtf8Bytes", "instancePath": "/content"})

    add("samples/tuor/accept-refinement-request.content-multibyte-over-16kb.json",
        {"suggestion_id": "sug_01hx3a7b8c", "content": cjk_over},
        "tuor/accept-refinement-request",
        f"edited content of {len(cjk_over):,} code points but {utf8_len(cjk_over):,} bytes is over the byte cap",
        {"keyword": "maxUtf8Bytes", "instancePath": "/content"}, portable=False)

    s = "tuor/trace-ingest-request"
    at_limit, _ = nested_object(MAX_DEPTH)
    too_deep, keys = nested_object(MAX_DEPTH + 1)
    rows_ok, _ = nested_array(MAX_DEPTH - 1)
    rows_deep, indexes = nested_array(MAX_DEPTH)
    base = {"project_id": "proj_abc123", "trace_config": {"model": "gpt-4o", "prompt_version_id": "prm_abc123"}}
    add("samples/tuor/trace-ingest-request.valid.depth-10.json",
        {**base, "model_input": {"content": "Summarise the ledger.", "ledger": at_limit["child"]},
         "model_output": {"rows": rows_ok}},
        s, "model_input and model_output are exactly 10 levels deep (the field object is level 1)")
    add("samples/tuor/trace-ingest-request.model-input-too-deep.json",
        {**base, "model_input": too_deep, "model_output": {"net_income": 250000}},
        s, "model_input is 11 object levels deep; the limit is 10",
        {"keyword": "not", "instancePath": pointer("model_input", *keys)})
    add("samples/tuor/trace-ingest-request.model-output-too-deep.json",
        {**base, "model_input": {"content": "Summarise the ledger."}, "model_output": {"rows": rows_deep}},
        s, "model_output is 11 levels deep through nested arrays; arrays count as levels too",
        {"keyword": "not", "instancePath": pointer("model_output", "rows", *indexes)})

    s = "tuor/project-settings-request"
    prefix = "https://hooks.example.com/tuor?pad="
    add("samples/tuor/project-settings-request.valid.url-2048-chars.json",
        {"webhook_url": prefix + "a" * (URL_CAP - len(prefix)), "webhook_secret": "whsec_8f3a91c2d4", "webhook_active": True},
        s, "a webhook_url of exactly 2,048 characters is at the limit")
    add("samples/tuor/project-settings-request.webhook-url-over-2048-chars.json",
        {"webhook_url": prefix + "a" * (URL_CAP + 1 - len(prefix)), "webhook_secret": "whsec_8f3a91c2d4", "webhook_active": True},
        s, "a webhook_url of 2,049 characters is over the limit",
        {"keyword": "maxLength", "instancePath": "/webhook_url"})
    return samples


def main() -> None:
    samples = build()
    for path, payload, _ in samples:
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    index = json.loads(INDEX.read_text(encoding="utf-8")) if INDEX.exists() else {"samples": []}
    ours = {path for path, _, _ in samples}
    entries = [e for e in index.get("samples", []) if e["path"] not in ours]
    entries += [{"path": path, **entry} for path, _, entry in samples]
    entries.sort(key=lambda e: e["path"])
    index["samples"] = entries
    INDEX.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(samples)} generated samples; samples/index.json has {len(entries)} entries")


if __name__ == "__main__":
    main()
