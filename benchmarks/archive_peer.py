#!/usr/bin/env python3
"""The record checks of an audit archive done by peer tools, for benchmarks/archive.sh.

    archive_peer.py WORKSPACE SCHEMAS_DIR [--jobs N]

For every NDJSON file of a workspace (prompts/*.jsonl, traces/*/*.jsonl) on N processes (default: all
cores): SHA-256 of the file (what a BagIt manifest needs), and every line parsed with orjson and
checked with jsonschema_rs against schemas/prompttrail/prompt-version.json or trace.json. It does not
canonicalize outputs, build lineage or write anything, so it is a lower bound of what trail-archive
does besides tar and zstd. PromptTrail's dialect is given to jsonschema_rs as draft 2020-12 (its own
keyword, maxUtf8Bytes, is then ignored).

Prints: records invalid seconds
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from multiprocessing import Pool
from pathlib import Path

_validators: dict[str, object] = {}


def _load(schemas: str) -> None:
    import jsonschema_rs

    for name in ("prompt-version", "trace"):
        schema = json.loads(Path(schemas, "prompttrail", f"{name}.json").read_text(encoding="utf-8"))
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        _validators[name] = jsonschema_rs.validator_for(schema)


def _check(task: tuple[str, str]) -> tuple[int, int]:
    import orjson

    path, kind = task
    is_valid = _validators[kind].is_valid
    digest = hashlib.sha256()
    records = invalid = 0
    with open(path, "rb") as data:
        for line in data:
            digest.update(line)
            if not line.strip():
                continue
            records += 1
            if not is_valid(orjson.loads(line)):
                invalid += 1
    digest.hexdigest()
    return records, invalid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace")
    parser.add_argument("schemas")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    root = Path(arguments.workspace)
    tasks = [(str(path), "prompt-version") for path in sorted(root.glob("prompts/*.jsonl"))]
    tasks += [(str(path), "trace") for path in sorted(root.glob("traces/*/*.jsonl"))]
    start = time.perf_counter()
    with Pool(arguments.jobs, initializer=_load, initargs=(arguments.schemas,)) as pool:
        results = pool.map(_check, tasks, chunksize=1)
    seconds = time.perf_counter() - start
    print(sum(r for r, _ in results), sum(i for _, i in results), f"{seconds:.3f}")


if __name__ == "__main__":
    main()
