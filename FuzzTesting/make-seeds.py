#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target from the repository's samples and test fixtures.

Usage: FuzzTesting/make-seeds.py OUTPUT_DIR

OUTPUT_DIR/<target>/ receives one file per seed, in the input layout the target expects (see each target's
main.swift). Seeds kept in FuzzTesting/Corpus/<target>/ are added by scripts/fuzz.sh as they are. Only the
standard library is used; a missing source (such as ../shared) is skipped.
"""

import gzip
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_SEED = 64 * 1024


def write(directory: Path, data: bytes) -> None:
    if len(data) > MAX_SEED:
        return
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def schema_documents() -> dict:
    """The bundled schemas by $id, and their files."""
    documents = {}
    for path in sorted((ROOT / "schemas").rglob("*.json")):
        try:
            document = json.loads(path.read_bytes())
        except ValueError:
            continue
        if isinstance(document, dict) and isinstance(document.get("$id"), str):
            documents[document["$id"]] = path.read_bytes()
    return documents


def suite_cases():
    """(schema, instance) pairs of the JSON-Schema-Test-Suite, when ../shared has it."""
    suite = ROOT.parent / "shared" / "json-schema-test-suite" / "tests"
    for draft, flags in (("draft2020-12", 0), ("draft7", 4)):
        for path in sorted((suite / draft).glob("*.json")):
            try:
                groups = json.loads(path.read_bytes())
            except ValueError:
                continue
            for group in groups:
                schema = json.dumps(group["schema"]).encode()
                for test in group["tests"][:3]:
                    yield flags, schema, json.dumps(test["data"]).encode()


def compact(path: str) -> bytes:
    return json.dumps(json.loads((ROOT / "samples" / path).read_bytes()), separators=(",", ":")).encode()


def client_scripts():
    """Scenario byte, then responses separated by NUL (see FuzzClient/main.swift)."""
    tuor_error = compact("tuor/error.valid.json")
    tracia_error = compact("tracia/error.valid.json")
    export = b"".join(
        compact(f"tuor/export-line.valid.{kind}.json") + b"\n" for kind in ("approved", "corrected", "rejected")
    )
    pages = [
        b"200\n" + compact("tuor/trace-list-response.valid.json"),
        b"200\n" + compact("tuor/trace-list-response.valid.last-page.json"),
    ]
    yield b"\x00" + b"200\n" + compact("tuor/prompts-response.valid.json")
    yield b"\x00" + b"429|0\n" + tuor_error + b"\x00200/64\n" + compact("tuor/prompts-response.valid.json")
    yield b"\x00" + b"400\n" + tuor_error
    yield b"\x01" + b"\x00".join(pages) + b"\x00200/97\n" + export
    yield b"\x01" + pages[1] + b"\x00200!\n" + export[:300] + b"\x00503|Sun, 06 Nov 1994 08:49:37 GMT\n\x00200\n" + export
    yield b"\x02" + b"200\n" + compact("tracia/prompt-list-response.valid.json") + (
        b"\x00200\n" + compact("tracia/prompt.valid.with-versions.json")
    ) * 3
    yield b"\x02" + b"500\n" + tracia_error + b"\x00401\n" + tracia_error
    yield b"\x03" + b"200\n" + compact("tracia/span-list-response.valid.json") + (
        b"\x00200\n" + compact("tracia/span.valid.json")
    ) * 3 + b"\x00200\n" + compact("tracia/span-list-response.valid.last-page.json")


TIMESTAMPS = [
    "2026-05-20T14:03:07Z",
    "2026-05-20T14:03:07.123456789+02:00",
    "2026-05-20t14:03:07.5z",
    "2026-05-20 14:03:60Z",
    "0000-01-01T00:00:00+00:01",
    "9999-12-31T23:59:59-23:59",
    "2024-02-29T23:59:59.999999Z",
    "120",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    " 0 ",
]


def archive_seeds():
    """The small audit bag kept as a zip in Corpus/FuzzArchive/, also as tar in each header format, as is and
    for each compression the target applies (first byte 1 gzip, 2 zstd, 3 xz)."""
    kept = (Path(__file__).resolve().parent / "Corpus" / "FuzzArchive" / "audit-bag.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(kept[1:])) as bag:
        entries = [(name, bag.read(name)) for name in bag.namelist()]
    for number, layout in enumerate((tarfile.USTAR_FORMAT, tarfile.PAX_FORMAT, tarfile.GNU_FORMAT)):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=layout) as tar:
            for name, data in entries:
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), 0o644, 1779321600
                tar.addfile(info, io.BytesIO(data))
        filters = (0, 1, 2, 3) if number == 0 else (0,)
        for selector in filters:
            yield bytes([selector]) + buffer.getvalue()


# Patterns of the kinds matched without the regular-expression engine, each with a string to start from.
PATTERNS = [
    ("^[a-z0-9]+(-[a-z0-9]+)*$", "ab-12-c"),
    ("^[a-z0-9-]+(:[a-z0-9.-]+)?$", "gpt-4o:2024.1"),
    ("^(?:gpt|claude)-[0-9]+$", "claude-3"),
    ("^v[0-9]+(\\.[0-9]+){0,2}$", "v1.2.3"),
    ("(ab|b)+a?$", "abba"),
    ("^tr_[A-Za-z0-9]{8,32}$", "tr_abcdefgh"),
    ("^[0-9a-f]{4}", "00ffé"),
    ("a*b", "aaab"),
    ("^prm_", "prm_1"),
    ("literal", "a literal"),
    ("^((a|b)c)*$", "acbc"),
    ("(x|y)*z{2}", "xyzz"),
]


def main() -> None:
    out = Path(sys.argv[1])
    samples = sorted((ROOT / "samples").rglob("*.json")) + sorted((ROOT / "schemas").rglob("*.json"))
    lines = sorted((ROOT / "samples").rglob("*.jsonl"))
    for path in samples:
        write(out / "FuzzJSON", path.read_bytes())
    for path in lines:
        text = path.read_bytes()[: MAX_SEED - 1]
        write(out / "FuzzNDJSON", b"\x00" + text)
        write(out / "FuzzNDJSON", b"\x01" + text[:16384])
        write(out / "FuzzNDJSON", b"\x02" + gzip.compress(text[:16384], mtime=0))
        write(out / "FuzzClient", b"\x01" + b"200\n{\"data\":[]}\x00200/97\n" + text[:16384])

    documents = schema_documents()
    index = json.loads((ROOT / "samples" / "index.json").read_bytes())
    for sample in index["samples"]:
        schema = documents.get(sample["schema"])
        instance = (ROOT / sample["path"]).read_bytes()
        if schema is None:
            continue
        write(out / "FuzzSchema", b"\x01" + schema + b"\x00" + instance)
        write(out / "FuzzSchemaProjection", schema + b"\x00" + instance)
    for archive in archive_seeds():
        (out / "FuzzArchive").mkdir(parents=True, exist_ok=True)
        (out / "FuzzArchive" / hashlib.sha1(archive).hexdigest()).write_bytes(archive)
    for script in client_scripts():
        write(out / "FuzzClient", script)
    for text in TIMESTAMPS:
        write(out / "FuzzTimestamp", text.encode())
    for depth in (64, 511, 512, 513, 4096):
        write(out / "FuzzJSON", b"[" * depth + b"]" * depth)
        write(out / "FuzzJSON", b'{"a":' * depth + b"1" + b"}" * depth)
    for seed in range(8):
        write(out / "FuzzParquet", bytes((seed * 37 + index * 101) % 256 for index in range(2048)))
    for pattern, string in PATTERNS:
        write(out / "FuzzPattern", pattern.encode() + b"\x00" + string.encode())
    for flags, schema, instance in suite_cases():
        write(out / "FuzzSchema", bytes([flags | 1]) + schema + b"\x00" + instance)
        write(out / "FuzzSchemaProjection", schema + b"\x00" + instance)


if __name__ == "__main__":
    main()
