"""The README's map of the code matches the tree: every module and package, nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _map_rows() -> list[tuple[str, str]]:
    """The (module cell, job cell) of each row of the README's 'Map of the code' table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Map of the code", 1)[1]
    section = re.split(r"\n#{2,3} ", section, maxsplit=1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            rows.append((cells[0], cells[1]))
    return rows


def _named(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _tree() -> set[str]:
    """The top-level modules and packages of pipeline/, and the schemas package."""
    pipeline = ROOT / "pipeline"
    found = {f"pipeline/{p.name}" for p in pipeline.glob("*.py") if p.name != "__init__.py"}
    found |= {f"pipeline/{d.name}/" for d in pipeline.iterdir()
              if d.is_dir() and any(d.glob("*.py"))}
    return found | {"schemas/"}


def _listed() -> set[str]:
    listed: set[str] = set()
    for module_cell, _ in _map_rows():
        for name in _named(module_cell):
            if "*" in name:
                matches = {str(p.relative_to(ROOT)) for p in ROOT.glob(name)}
                assert matches, f"the README's map names {name}, which matches nothing"
                listed |= matches
            else:
                listed.add(name)
    return listed


def test_the_readme_map_lists_every_module_and_package_and_nothing_else() -> None:
    listed, tree = _listed(), _tree()
    assert not tree - listed, f"missing from the README's map of the code: {sorted(tree - listed)}"
    assert not listed - tree, f"in the README's map but not in the tree: {sorted(listed - tree)}"


def test_the_modules_a_package_row_names_exist_in_it() -> None:
    for module_cell, job in _map_rows():
        packages = [ROOT / name for name in _named(module_cell) if name.endswith("/")]
        for name in _named(job):
            if re.fullmatch(r"[\w/]+\.py", name) and packages:
                assert any((package / name).is_file() for package in packages), (
                    f"the README's map names {name} under {module_cell}, which has no such module")
