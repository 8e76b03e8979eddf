"""A group's template made: the kind (progress or plan) and format (Word or Excel) chosen, the
file named, and last quarter's tasks put in from the master."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.register import Group, Register
from pipeline.templates.prefill import PreviousReturns, read_master
from pipeline.templates.wording import PlanYears, plan_years

if TYPE_CHECKING:
    from pipeline.templates.content import ProgressContent

KINDS = ("progress", "plan")
FORMATS = ("docx", "xlsx")


class TemplateError(PipelineError):
    """A template cannot be made: an unknown group, kind or format, or a folder that cannot be written."""


@dataclass(frozen=True)
class MadeTemplate:
    """A template written to disk, and how much of last quarter went into it."""

    path: Path
    group: Group
    kind: str
    fmt: str
    prefilled_tasks: int = 0
    skipped_tasks: int = 0
    """Tasks of the group in the master that have no outcome, so could not be placed."""


def template_name(group: Group, kind: str, fmt: str) -> str:
    """The file name of a group's template: 'stronger-communities-progress-return.docx'."""
    what = "progress-return" if kind == "progress" else "action-plan"
    return f"{group.slug}-{what}.{fmt}"


def make_template(group: Group | str, kind: str, fmt: str, register: Register, out_dir: Path,
                  master: Path | PreviousReturns | None = None, *,
                  years: PlanYears | None = None) -> Path:
    """Write one group's template of the given kind ('progress'/'plan') and format ('docx'/'xlsx')."""
    return build_template(group, kind, fmt, register, out_dir, master, years=years).path


def make_all(register: Register, kind: str, fmt: str, out_dir: Path,
             master: Path | PreviousReturns | None = None, *,
             years: PlanYears | None = None) -> list[Path]:
    """Write the template of the given kind and format for every group in the register."""
    previous = _previous(master, register)
    return [build_template(g, kind, fmt, register, out_dir, previous, years=years).path
            for g in register.groups]


def build_template(group: Group | str, kind: str, fmt: str, register: Register, out_dir: Path,
                   master: Path | PreviousReturns | None = None, *,
                   years: PlanYears | None = None) -> MadeTemplate:
    """Write one template and say what went into it (what `make_template` does, with detail)."""
    from pipeline.templates.content import progress_content

    found = _group(group, register)
    if kind not in KINDS:
        raise TemplateError(f"There is no '{kind}' template: choose one of {', '.join(KINDS)}.")
    if fmt not in FORMATS:
        raise TemplateError(f"Templates are made as {' or '.join(FORMATS)}, not '{fmt}'.")
    path = Path(out_dir) / template_name(found, kind, fmt)
    try:
        if kind == "plan":
            _write_plan(found, fmt, register, path, years or plan_years())
            return MadeTemplate(path, found, kind, fmt)
        previous = _previous(master, register)
        tasks = previous.of_group(found.name) if previous is not None and previous.usable else []
        content = progress_content(found, register, tasks)
        source = previous.source.name if previous is not None and content.prefilled_tasks else ""
        _write_progress(content, fmt, path, source)
    except OSError as exc:
        raise TemplateError(f"Could not write {path}: {exc.strerror or exc}. Close the file if it "
                            "is open, or choose another folder with --out.") from exc
    return MadeTemplate(path, found, kind, fmt, content.prefilled_tasks, content.skipped_tasks)


def _group(group: Group | str, register: Register) -> Group:
    if isinstance(group, Group):
        return group
    match = register.match_group(group)
    if match.group is None:
        names = "; ".join(g.name for g in register.groups)
        raise TemplateError(f"There is no group called '{group}' in the register. The groups are: "
                            f"{names}.")
    return match.group


def _previous(master: Path | PreviousReturns | None, register: Register) -> PreviousReturns | None:
    if master is None or isinstance(master, PreviousReturns):
        return master
    return read_master(Path(master), register)


def _write_plan(group: Group, fmt: str, register: Register, path: Path, years: PlanYears) -> None:
    outcomes = register.outcomes_of(group.name)
    if fmt == "docx":
        from pipeline.templates.plan_docx import write_plan_docx

        write_plan_docx(group, outcomes, years, path)
    else:
        from pipeline.templates.plan_xlsx import write_plan_xlsx

        write_plan_xlsx(group, outcomes, years, path)


def _write_progress(content: ProgressContent, fmt: str, path: Path, source: str) -> None:
    if fmt == "docx":
        from pipeline.templates.progress_docx import write_progress_docx

        write_progress_docx(content, path, source)
    else:
        from pipeline.templates.progress_xlsx import write_progress_xlsx

        write_progress_xlsx(content, path, source)

