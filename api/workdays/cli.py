"""`recruitflow calendar load FILE` and `recruitflow calendar show YEAR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from api.runtime import runtime
from workflow.domain.errors import Invalid
from workflow.store.migrate import upgrade
from workflow.usecases import calendars

WEEKDAYS = "一二三四五六日"


@click.group("calendar")
def calendar_group() -> None:
    """The working-day calendar: statutory holidays and make-up working days."""


@calendar_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_command(file: Path) -> None:
    """Add or replace a year's official holiday table from a TOML FILE (see README)."""
    rt = runtime()
    upgrade(rt.engine)
    try:
        table = calendars.parse_table(file.read_text(encoding="utf-8"),
                                      default_source=file.name)
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file}: not UTF-8 text ({error})") from error
    except Invalid as error:
        raise click.ClickException(f"{file}: {error.message}") from error
    replaced = rt.env.calendar.table(table.year)
    calendars.load_table(uow=rt.uow, env=rt.env, table=table)
    what = "replaced" if replaced is not None else "added"
    click.echo(f"{table.year}: table {what} ({len(table.holidays)} holidays, "
               f"{len(table.workdays)} make-up working days; source: {table.source})")


@calendar_group.command("show")
@click.argument("year", type=click.IntRange(1900, 2200))
@with_appcontext
def show_command(year: int) -> None:
    """Print a year's holidays and make-up working days, and where they come from."""
    rt = runtime()
    upgrade(rt.engine)
    view = calendars.show_year(uow=rt.uow, env=rt.env, year=year)
    if view.table is None:
        click.echo(f"{year}: WARNING: {view.warning}")
        return
    click.echo(f"{year}: source: {view.table.source}")
    for title, days in (("holidays", view.table.holidays),
                        ("make-up working days", view.table.workdays)):
        shown = sorted(days)
        click.echo(f"{title}: {len(shown)}")
        for day in shown:
            click.echo(f"  {day.isoformat()} 星期{WEEKDAYS[day.weekday()]}")
