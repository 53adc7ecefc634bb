#!/usr/bin/env python3
"""The record checks of an audit archive done by peer tools, for benchmarks/archive.sh.

    archive_peer.py WORKSPACE SCHEMAS_DIR [--jobs N]
    archive_peer.py --bag EXTRACTED_BAG [--jobs N]

For every NDJSON file of a workspace (prompts/*.jsonl, traces/*/*.jsonl) on N processes (default: all
cores): SHA-256 of the file (what a BagIt manifest needs), and every line parsed with orjson and
checked with jsonschema_rs against schemas/prompttrail/prompt-version.json or trace.json. It does not
canonicalize outputs, build lineage or write anything, so it is a lower bound of what trail-archive
does besides tar and zstd. PromptTrail's dialect is given to jsonschema_rs as draft 2020-12 (its own
keyword, maxUtf8Bytes, is then ignored).

With --bag, the record checks trail-verify makes on an archive, done on its extracted copy after
`bagit.py --validate` (which has hashed every file, so nothing is hashed again): every record of data/
that trail-verify checks (prompts, traces, lineage.jsonl, activations, quarantine, state.json,
workspace.json) against the schema of its kind that the bag carries. It does not recompute output
hashes, join lineage or check a signature, so it is a lower bound of trail-verify's record checks.

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


KINDS = ("prompt-version", "trace", "lineage", "quarantine", "activation", "state", "workspace")


def _load(schemas: str) -> None:
    import jsonschema_rs

    for name in KINDS:
        path = Path(schemas, "prompttrail", f"{name}.json")
        if not path.exists():
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        _validators[name] = jsonschema_rs.validator_for(schema)


def _count(path: str, kind: str, digest: "hashlib._Hash | None" = None) -> tuple[int, int]:
    """Every record of an NDJSON file parsed with orjson and checked against the schema of `kind`; with
    `digest`, every line hashed too, in the same pass."""
    import orjson

    is_valid = _validators[kind].is_valid
    records = invalid = 0
    with open(path, "rb") as data:
        for line in data:
            if digest is not None:
                digest.update(line)
            if not line.strip():
                continue
            records += 1
            if not is_valid(orjson.loads(line)):
                invalid += 1
    return records, invalid


def _check(task: tuple[str, str]) -> tuple[int, int]:
    """A workspace file: its SHA-256 and its records, in one pass."""
    path, kind = task
    digest = hashlib.sha256()
    result = _count(path, kind, digest)
    digest.hexdigest()
    return result


def _check_bag_file(task: tuple[str, str]) -> tuple[int, int]:
    """A record file of an extracted bag, whose digest bagit.py has checked."""
    import orjson

    path, kind = task
    if kind in ("state", "workspace"):  # one JSON document
        return 1, 0 if _validators[kind].is_valid(orjson.loads(Path(path).read_bytes())) else 1
    return _count(path, kind)


def _bag_tasks(bag: Path) -> list[tuple[str, str]]:
    """The record files trail-verify checks, with their kinds (RecordKind.of(payloadPath:))."""
    data = bag / "data"
    tasks = [(str(data / "lineage.jsonl"), "lineage")] if (data / "lineage.jsonl").exists() else []
    for name, kind in (("state.json", "state"), ("workspace.json", "workspace")):
        if (data / name).exists():
            tasks.append((str(data / name), kind))
    for folder, kind in (("prompts", "prompt-version"), ("traces", "trace"), ("quarantine", "quarantine"),
                         ("activations", "activation")):
        tasks += [(str(path), kind) for path in sorted((data / folder).glob("**/*.jsonl"))]
    # The largest first, so that no process is left with a big file at the end.
    tasks.sort(key=lambda task: -os.path.getsize(task[0]))
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", nargs="?")
    parser.add_argument("schemas", nargs="?")
    parser.add_argument("--bag", help="an extracted archive: check its records against its own schemas")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    if arguments.bag:
        tasks, schemas, check = _bag_tasks(Path(arguments.bag)), str(Path(arguments.bag, "schemas")), _check_bag_file
    else:
        if not arguments.workspace or not arguments.schemas:
            parser.error("give WORKSPACE and SCHEMAS_DIR, or --bag")
        root = Path(arguments.workspace)
        tasks = [(str(path), "prompt-version") for path in sorted(root.glob("prompts/*.jsonl"))]
        tasks += [(str(path), "trace") for path in sorted(root.glob("traces/*/*.jsonl"))]
        schemas, check = arguments.schemas, _check
    start = time.perf_counter()
    with Pool(arguments.jobs, initializer=_load, initargs=(schemas,)) as pool:
        results = pool.map(check, tasks, chunksize=1)
    seconds = time.perf_counter() - start
    print(sum(r for r, _ in results), sum(i for _, i in results), f"{seconds:.3f}")


if __name__ == "__main__":
    main()
