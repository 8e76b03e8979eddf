"""Every package says what it holds: its __init__.py is a docstring with one line per module,
and nothing else (no names re-exported: an import names the module that defines what it takes)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Alembic's migration scripts are loaded by path, not imported as a package.
NOT_PACKAGES = {"pipeline/history/migrations"}


def _package_folders() -> list[Path]:
    folders = []
    for top in (ROOT / "pipeline", ROOT / "schemas"):
        for folder in [top, *sorted(p for p in top.rglob("*") if p.is_dir())]:
            where = folder.relative_to(ROOT).as_posix()
            if any(where == n or where.startswith(n + "/") for n in NOT_PACKAGES):
                continue
            if any(folder.glob("*.py")):
                folders.append(folder)
    return folders


PACKAGES = _package_folders()


def _listed(docstring: str) -> list[str]:
    return re.findall(r"^- `([\w/]+)`", docstring, flags=re.MULTILINE)


def _contents(folder: Path) -> set[str]:
    modules = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
    subpackages = {f"{d.name}/" for d in folder.iterdir() if d in PACKAGES}
    return modules | subpackages


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda f: f.relative_to(ROOT).as_posix())
def test_a_package_init_is_a_docstring_listing_its_modules(folder: Path) -> None:
    init = folder / "__init__.py"
    where = init.relative_to(ROOT).as_posix()
    assert init.is_file(), f"{folder.relative_to(ROOT)} has modules but no __init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring, f"{where} has no docstring"
    extra = [n for n in tree.body if not isinstance(n, ast.Expr)
             and not (isinstance(n, ast.Assign) and folder == ROOT / "pipeline")]
    assert not extra, (f"{where} holds code (line {extra[0].lineno}): move it into a module, and "
                       "import names from the module that defines them")
    if folder == ROOT / "pipeline":
        return  # the top package lists its modules in the README's map of the code
    listed, there = _listed(docstring), _contents(folder)
    assert len(listed) == len(set(listed)), f"{where} lists a module twice"
    assert not there - set(listed), (f"{where}'s docstring does not list {sorted(there - set(listed))}: "
                                     "add a line \"- `name`: its job\" for each")
    assert not set(listed) - there, (f"{where}'s docstring lists {sorted(set(listed) - there)}, "
                                     "which the package does not hold")


def test_the_packages_found_include_the_ones_we_know() -> None:
    found = {f.relative_to(ROOT).as_posix() for f in PACKAGES}
    assert {"pipeline/report", "pipeline/history", "pipeline/layout", "pipeline/templates",
            "pipeline/intake/mail", "pipeline/cycle", "schemas"} <= found
