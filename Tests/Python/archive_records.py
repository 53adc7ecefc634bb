"""Validate every record of an extracted PromptTrail audit archive with Python's jsonschema.

    python Tests/Python/archive_records.py BAG_DIR

Loads the schemas the archive carries (BAG_DIR/schemas/) into one registry, exactly as conftest.py
does for the repository's schemas/, and checks each data/ file against the schema of its kind.
Prints one line per invalid record and exits 1 if there is any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import PromptTrailValidator, build_registry  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402

BASE = "https://schemas.prompttrail.dev/prompttrail/"


def kind_of(relative: str) -> str | None:
    if relative == "data/lineage.jsonl":
        return "lineage"
    if relative in ("data/workspace.json", "data/state.json"):
        return relative[5:-5]
    if relative.startswith("data/prompts/"):
        return "prompt-version"
    if relative.startswith("data/traces/"):
        return "trace"
    if relative.startswith("data/quarantine/"):
        return "quarantine"
    return None


def main() -> int:
    bag = Path(sys.argv[1])
    schemas = {}
    for path in sorted((bag / "schemas").rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        schemas[document["$id"]] = document
    registry = build_registry(schemas)
    validators = {}
    failures = checked = 0
    for path in sorted((bag / "data").rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(bag).as_posix()
        kind = kind_of(relative)
        if kind is None:
            continue
        if kind not in validators:
            validators[kind] = PromptTrailValidator(
                schemas[BASE + kind + "/v1.json"], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        if relative.endswith(".json"):
            documents = [json.loads(path.read_text(encoding="utf-8"))]
        else:
            documents = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        for number, document in enumerate(documents, 1):
            checked += 1
            for error in validators[kind].iter_errors(document):
                failures += 1
                print(f"{relative}:{number}: {error.json_path}: {error.message[:300]}")
    print(f"checked {checked} records, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
