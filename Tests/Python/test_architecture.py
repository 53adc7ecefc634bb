"""docs/architecture.md's module graph is Package.swift's, edge for edge.

SwiftPM itself is the judge: `swift package dump-package` prints the manifest as JSON, and every
non-test target's dependencies must be the ones the document's table lists, in any order.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "architecture.md"


def package_graph() -> dict[str, tuple[str, set[str]]]:
    """Every non-test target of Package.swift: its kind and its dependencies."""
    dump = subprocess.run(
        ["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    manifest = json.loads(dump.stdout)
    kinds = {"system": "system library", "regular": "library", "executable": "executable"}
    graph: dict[str, tuple[str, set[str]]] = {}
    for target in manifest["targets"]:
        if target["type"] == "test":
            continue
        dependencies: set[str] = set()
        for dependency in target["dependencies"]:
            (kind, value), = dependency.items()
            if kind == "product":
                dependencies.add(f"{value[0]} ({value[1]})")
            else:
                dependencies.add(value[0])
        graph[target["name"]] = (kinds[target["type"]], dependencies)
    return graph


def documented_graph() -> dict[str, tuple[str, set[str]]]:
    """The table between the module-graph markers of docs/architecture.md."""
    text = DOCUMENT.read_text(encoding="utf-8")
    block = re.search(r"<!-- module-graph:start -->(.*?)<!-- module-graph:end -->", text, re.S)
    assert block, "docs/architecture.md has no module-graph table"
    graph: dict[str, tuple[str, set[str]]] = {}
    for line in block.group(1).strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        name, kind, dependencies = cells[0], cells[1], cells[2] if len(cells) > 2 else ""
        assert name not in graph, f"{name} is listed twice"
        graph[name] = (kind, {item.strip() for item in dependencies.split(",") if item.strip()})
    return graph


def test_module_graph_matches_package_swift():
    package, documented = package_graph(), documented_graph()
    assert sorted(documented) == sorted(package), "the modules differ"
    for name, (kind, dependencies) in package.items():
        documented_kind, documented_dependencies = documented[name]
        assert documented_kind == kind, f"{name}: documented as {documented_kind}, is {kind}"
        assert documented_dependencies == dependencies, (
            f"{name}: missing from the document {sorted(dependencies - documented_dependencies)}, "
            f"not in Package.swift {sorted(documented_dependencies - dependencies)}"
        )
