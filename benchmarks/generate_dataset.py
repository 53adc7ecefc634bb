#!/usr/bin/env python3
"""Generate a deterministic dataset of Tuor trace records for the benchmarks.

Each record is a `tuor/export-line` object (one reviewed trace) with a realistic shape: a model_input of
0.2-8 KB (prompt text and a system prompt), a nested model_output (fields, lists of objects, scores), tags
and timestamps. The same seed always produces the same bytes.

Usage:
  generate_dataset.py --records N --ndjson OUT.ndjson              one NDJSON file
  generate_dataset.py --records N --files DIR                     N single-document .json files
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

WORDS = (
    "invoice total amount due customer order shipping address the of and to in for model prompt review "
    "approved corrected rejected extract summary field value confidence page line item tax currency "
    "déjà vu naïve café 東京 données résumé"
).split()
STATUSES = ("approved", "corrected", "rejected")
BASE_TIME = datetime(2026, 5, 1, tzinfo=timezone.utc)


def text(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        parts.append(word)
        length += len(word.encode()) + 1
    return " ".join(parts)


def timestamp(rng: random.Random, offset_seconds: int) -> str:
    moment = BASE_TIME + timedelta(seconds=offset_seconds, milliseconds=rng.randrange(1000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def output(rng: random.Random) -> dict:
    items = [
        {
            "description": text(rng, rng.randrange(10, 60)),
            "quantity": rng.randrange(1, 20),
            "unit_price": round(rng.uniform(0.5, 900.0), 2),
            "confidence": round(rng.random(), 4),
        }
        for _ in range(rng.randrange(1, 8))
    ]
    return {
        "summary": text(rng, rng.randrange(40, 300)),
        "fields": {
            "invoice_number": f"INV-{rng.randrange(10**6):06d}",
            "currency": rng.choice(["EUR", "USD", "JPY"]),
            "total": round(sum(i["quantity"] * i["unit_price"] for i in items), 2),
            "paid": rng.random() < 0.5,
            "due_date": None if rng.random() < 0.2 else "2026-06-30",
        },
        "line_items": items,
        "scores": [round(rng.random(), 3) for _ in range(rng.randrange(0, 6))],
    }


def record(rng: random.Random, index: int) -> dict:
    status = rng.choice(STATUSES)
    model_output = output(rng)
    corrected = output(rng) if status == "corrected" else None
    final = model_output if status == "approved" else corrected
    created = index * 7
    return {
        "id": "trc_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(20)),
        "project_id": "proj_" + rng.choice(["invoices", "receipts", "contracts"]),
        "status": status,
        "model_input": {
            "content": text(rng, rng.randrange(200, 8000)),
            "system_prompt": text(rng, rng.randrange(0, 400)),
        },
        "model_output": model_output,
        "trace_config": {
            "model": rng.choice(["gpt-4o", "claude-sonnet", "llama-3-70b"]),
            "prompt_version_id": f"prm_{rng.randrange(10**8):08d}",
            "internal_run_id": f"run-{index}",
        },
        "corrected_output": corrected,
        "final_output": final,
        "tags": [f"tag_{rng.choice(['urgent', 'q2', 'eu', 'retry'])}" for _ in range(rng.randrange(0, 4))],
        "created_at": timestamp(rng, created),
        "updated_at": timestamp(rng, created + 3600),
        "reviewed_at": timestamp(rng, created + 3600),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--ndjson", type=Path)
    parser.add_argument("--files", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.ndjson:
        with args.ndjson.open("w", encoding="utf-8") as out:
            for index in range(args.records):
                out.write(json.dumps(record(rng, index), ensure_ascii=False, separators=(",", ":")) + "\n")
    if args.files:
        args.files.mkdir(parents=True, exist_ok=True)
        for index in range(args.records):
            path = args.files / f"trace-{index:06d}.json"
            path.write_text(json.dumps(record(rng, index), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
