"""The import contract holds, and docs/design.md's layer diagram is the contract's."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _layers() -> list[list[str]]:
    """The layers of the contract, outermost first, each as its module names."""
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    assert isinstance(layers, list)
    return [[m.strip(" ()") for m in layer.split("|")] for layer in layers]


def test_the_import_contract_is_kept() -> None:
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_the_design_diagram_draws_the_contract_layers_in_order() -> None:
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    diagram = design.split("## Layers", 1)[1].split("```", 2)[1]
    lines = diagram.splitlines()

    def drawn_at(layer: list[str]) -> int:
        """The first line of the diagram that names every module of the layer."""
        for i, line in enumerate(lines):
            if all(re.search(rf"(?<![\w/.]){m}(?![\w/.])", line) for m in layer):
                return i
        raise AssertionError(f"the layer diagram draws no line with {' | '.join(layer)}")

    rows = [drawn_at(layer) for layer in _layers()]
    assert rows == sorted(rows) and len(set(rows)) == len(rows), "layers drawn out of order"


def test_the_design_names_every_package_of_tracker() -> None:
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    layout = design.split("## Layout", 1)[1].split("## Layers", 1)[0]
    packages = sorted(p.parent.name for p in (ROOT / "tracker").glob("*/__init__.py"))
    for package in packages:
        if package in ("data",):
            continue
        assert f"  {package}/" in layout, f"docs/design.md's layout does not list {package}/"
    modules = sorted(p.name for p in (ROOT / "tracker").glob("*.py") if p.name[0] != "_")
    for module in modules:
        assert f"  {module}" in layout, f"docs/design.md's layout does not list {module}"
