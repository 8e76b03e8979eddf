"""The ``template`` command: hand each Priority Action Group a template it cannot easily fill in wrong."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.words import plural

if TYPE_CHECKING:
    from pipeline.register import Register
    from pipeline.templates.make import MadeTemplate
    from pipeline.templates.prefill import PreviousReturns

DEFAULT_OUT = Path("outputs/templates")
DEFAULT_MASTER = Path("outputs/master.xlsx")


@click.command("template")
@click.option("--group", "group_name", metavar="NAME",
              help="The group to make a template for, as the register names it (short names such "
                   "as CDRP work too).")
@click.option("--all", "all_groups", is_flag=True, help="Make a template for every group in the register.")
@click.option("--kind", type=click.Choice(["progress", "plan"]), default="progress", show_default=True,
              help="progress: the quarterly progress return; plan: the action-planning template.")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx"]), default="docx", show_default=True,
              help="Word (docx) or Excel (xlsx).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUT,
              show_default=True, help="Folder to write the templates into.")
@click.option("--master", "master_path", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="A master workbook from an earlier run, to pre-fill progress returns with last "
                   f"quarter's tasks [default: {DEFAULT_MASTER} when it exists].")
@click.option("--start", type=click.IntRange(1990, 2100), metavar="YEAR",
              help="For --kind plan: the year the plan's first financial year starts in (2008 gives "
                   "2008/09 to 2010/11) [default: the next financial year].")
@click.option("--register", "register_path", type=click.Path(path_type=Path), metavar="FILE",
              help="The groups-and-outcomes register (TOML); the built-in Gloucester one if not given.")
@click.pass_context
def template(ctx: click.Context, group_name: str | None, all_groups: bool, kind: str, fmt: str,
             out: Path, master_path: Path | None, start: int | None,
             register_path: Path | None) -> None:
    """Make the template a group fills in: its outcomes, the right headings and a status drop-down."""
    from pipeline.register import load_register
    from pipeline.templates.make import build_template
    from pipeline.templates.wording import plan_years

    if all_groups and group_name:
        raise click.UsageError("Give either --group NAME or --all, not both.")
    if not all_groups and not group_name:
        raise click.UsageError("Say which group with --group NAME, or make every group's template "
                               "with --all.")
    register = load_register(register_path)  # a RegisterError is shown by the command line
    if group_name:
        match = register.match_group(group_name)
        if match.group is None:
            listing = "\n".join(f"  {g.name} ({g.short})" for g in register.groups)
            closest = f" The closest is '{match.closest}'." if match.closest else ""
            raise click.ClickException(
                f"There is no group called '{group_name}' in the register.{closest} The groups are:\n"
                f"{listing}\nGive one of these with --group, or use --all.")
        groups = [match.group]
    else:
        groups = list(register.groups)

    previous = None
    if kind == "progress":
        previous = _master(master_path, register)
    elif master_path is not None:
        click.echo("Action plans are not pre-filled, so --master was not used.")
    years = plan_years(start) if kind == "plan" else None
    if years is not None:
        click.echo(f"Plan years: {years.span}, with the baseline in {years.baseline}.")
    for group in groups:  # a TemplateError is shown by the command line
        made = build_template(group, kind, fmt, register, out, previous, years=years)
        click.echo(f"Wrote {made.path}: {group.name}, " + _what(made, register, previous))


def _master(master_path: Path | None, register: Register) -> PreviousReturns | None:
    """Last quarter's tasks, or None; says in the output where they came from or why not."""
    from pipeline.templates.prefill import read_master

    path = master_path
    if path is None:
        if not DEFAULT_MASTER.is_file():
            click.echo(f"No master workbook at {DEFAULT_MASTER}, so the templates are blank. "
                       "Give one with --master FILE to pre-fill last quarter's tasks.")
            return None
        path = DEFAULT_MASTER
    elif not path.is_file():
        raise click.ClickException(
            f"The master workbook {path} does not exist. Give the master.xlsx written by "
            "'pipeline consolidate', or leave out --master to make blank templates.")
    previous = read_master(path, register)
    if previous.usable:
        click.echo(f"Pre-filling with last quarter's tasks from {path}.")
    else:
        click.echo(f"Not pre-filled: {previous.problem}. The templates are blank.")
    return previous


def _what(made: MadeTemplate, register: Register, previous: PreviousReturns | None) -> str:
    """What went into one template, in words."""
    kind = made.kind
    outcomes = len(register.outcomes_of(made.group.name)) or 1
    text = plural(outcomes, "outcome")
    if kind == "plan":
        return text + "."
    filled = made.prefilled_tasks
    if filled:
        text += f", pre-filled with {plural(filled, 'task')}"
    elif previous is not None and previous.usable:
        text += ", blank (the master has no tasks for this group)"
    skipped = made.skipped_tasks
    if skipped:
        text += (f"; {plural(skipped, 'task')} in the master with no outcome "
                 "could not be placed and were left out")
    return text + "."
