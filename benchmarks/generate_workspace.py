#!/usr/bin/env python3
"""Write a synthetic PromptTrail workspace of any size, for benchmarks and scale tests.

    benchmarks/generate_workspace.py OUT --traces 1000000 [--projects 2] [--days 30] [--seed 1]

The layout and records follow docs/workspace-format.md (format version 1): workspace.json,
state.json, prompts/<project_id>.jsonl ordered by version, traces/<project_id>/<YYYY-MM-DD>.jsonl
ordered by (created_at, trace_id). About 5% of traces name no prompt version (unlinked) and one
names a version that does not exist (dangling). Hashes follow the workspace rules: content_sha256
of a string prompt is the SHA-256 of its UTF-8 bytes; output_sha256 is the SHA-256 of the RFC 8785
form of model_output (the generator only emits ASCII keys, integers and short decimals, for which
sorted compact json.dumps is exactly RFC 8785).

Deterministic for given arguments; memory does not grow with --traces. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

EPOCH = datetime(2026, 1, 5, tzinfo=timezone.utc)
WORDS = ("invoice total vendor amount due date currency tax line item order refund shipping "
         "customer account balance statement receipt payment reference number address").split()


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _jcs_numbers(value):
    """Integral floats serialize without a fraction in RFC 8785 (3386.0 -> 3386)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _jcs_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jcs_numbers(item) for item in value]
    return value


def canonical_sha256(value) -> str:
    text = json.dumps(_jcs_numbers(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def random_id(rng: random.Random, prefix: str, length: int) -> str:
    return prefix + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length))


def prompt_versions(rng: random.Random, project: str, count: int) -> list[dict]:
    versions, parent = [], None
    for number in range(1, count + 1):
        version_id = random_id(rng, "prm_", 12)
        content = f"You extract fields from documents for {project}. Revision {number}.\n" + " ".join(
            rng.choice(WORDS) for _ in range(120 + 40 * number))
        created = stamp(EPOCH + timedelta(days=number - 1, hours=3))
        payload = {"id": version_id, "org_id": "org_bench000001", "project_id": project, "version": number,
                   "content": content, "is_active": number == count, "parent_id": parent,
                   "source": "manual" if number == 1 else "refinement", "created_at": created}
        data = content.encode("utf-8")
        versions.append({
            "record_type": "prompt_version", "format_version": 1, "source": "tuor", "project_id": project,
            "prompt_version_id": version_id, "prompt_key": None, "version": number,
            "is_active": number == count, "parent_id": parent, "created_at": created, "created_by": None,
            "origin": payload["source"], "rationale": None if number == 1 else "Reviewers corrected totals.",
            "content": content, "content_sha256": hashlib.sha256(data).hexdigest(), "content_bytes": len(data),
            "model": "gpt-4o", "provider": None, "temperature": 0.2, "top_p": None, "max_output_tokens": None,
            "source_payload": payload,
        })
        parent = version_id
    return versions


def trace(rng: random.Random, project: str, moment: datetime, version_id: str | None) -> dict:
    trace_id = random_id(rng, "trc_", 20)
    amount = rng.randint(100, 999_999)
    output = {"vendor": rng.choice(WORDS).title() + " GmbH", "total": amount / 100,
              "currency": rng.choice(["EUR", "USD", "GBP"]), "lines": rng.randint(1, 40),
              "summary": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))}
    status = rng.choice(["approved", "approved", "approved", "corrected", "rejected", "pending"])
    corrected = dict(output, total=(amount + 1) / 100) if status == "corrected" else None
    final = output if status == "approved" else corrected
    config = {"model": "gpt-4o", "internal_run_id": random_id(rng, "run_", 10)}
    if version_id is not None:
        config["prompt_version_id"] = version_id
    created, updated = stamp(moment), stamp(moment + timedelta(minutes=5))
    model_input = {"document": " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))}
    payload = {"id": trace_id, "project_id": project, "status": status, "model_input": model_input,
               "model_output": output, "trace_config": config, "corrected_output": corrected,
               "final_output": final, "tags": [], "created_at": created, "updated_at": updated,
               "reviewed_at": None if status == "pending" else updated}
    return {
        "record_type": "trace", "format_version": 1, "source": "tuor", "project_id": project,
        "trace_id": trace_id, "created_at": created, "updated_at": updated, "status": status,
        "model": "gpt-4o", "prompt_version_id": version_id, "prompt_version": None,
        "internal_run_id": config["internal_run_id"], "tags": [], "model_input": model_input,
        "model_output": output, "corrected_output": corrected, "final_output": final,
        "output_sha256": canonical_sha256(output), "source_payload": payload,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--traces", type=int, default=1000)
    parser.add_argument("--projects", type=int, default=2)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()

    rng = random.Random(arguments.seed)
    out: Path = arguments.out
    (out / "prompts").mkdir(parents=True, exist_ok=True)
    projects = [random_id(rng, "proj_", 10) for _ in range(arguments.projects)]
    streams = {}
    for index, project in enumerate(projects):
        versions = prompt_versions(rng, project, arguments.versions)
        with open(out / "prompts" / f"{project}.jsonl", "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(line(v) for v in versions)
        share = arguments.traces // len(projects) + (1 if index < arguments.traces % len(projects) else 0)
        per_day = max(1, -(-share // arguments.days))
        written, last = 0, None
        for day in range(arguments.days):
            if written >= share:
                break
            start = EPOCH + timedelta(days=day + arguments.versions)
            count = min(per_day, share - written)
            offsets = sorted(rng.randrange(0, 86_400_000) for _ in range(count))
            records = []
            for offset in offsets:
                draw = rng.random()
                if index == 0 and written == 0 and day == 0 and not records:
                    version_id = "prm_deleted00001"
                elif draw < 0.05:
                    version_id = None
                else:
                    version_id = versions[min(len(versions) - 1, int(draw * len(versions)))]["prompt_version_id"]
                records.append(trace(rng, project, start + timedelta(milliseconds=offset), version_id))
            records.sort(key=lambda r: (r["created_at"], r["trace_id"]))
            folder = out / "traces" / project
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / f"{start:%Y-%m-%d}.jsonl", "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(line(r) for r in records)
            written += count
            last = records[-1]
        streams[project] = {
            "prompts": {"high_water_mark": versions[-1]["created_at"], "etag": None},
            "traces": {"cursor": None, "high_water_mark": last["updated_at"] if last else None,
                       "last_trace_id": last["trace_id"] if last else None},
        }
    pulled = stamp(EPOCH + timedelta(days=arguments.days + arguments.versions + 1))
    (out / "workspace.json").write_text(json.dumps({
        "format": "prompttrail-workspace", "format_version": 1, "source": "tuor",
        "base_url": "https://api.tuor.dev", "projects": projects, "created_at": stamp(EPOCH),
        "tool_version": "0.1.0"}, indent=2) + "\n", encoding="utf-8")
    (out / "state.json").write_text(json.dumps(
        {"format_version": 1, "updated_at": pulled, "streams": streams}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
