"""`recruitflow agenda reindex` (and `status`): the agenda's deadline index."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from api.runtime import runtime
from workflow.store.migrate import upgrade
from workflow.usecases import agenda


@click.group("agenda")
def agenda_group() -> None:
    """The agenda's deadline index (dossiers.next_due)."""


@agenda_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Recompute every open dossier's deadline bound, in batches; the agenda uses the index
    once it is complete. Needed after a change of rulebook versions or numbers (`serve` and
    `init` do it by themselves when needed)."""
    rt = runtime()
    upgrade(rt.engine)
    done = agenda.reindex(uow=rt.uow, env=rt.env, log=_progress)
    _report(done)


@agenda_group.command("status")
@with_appcontext
def status_command() -> None:
    """Whether the agenda's deadline index was built with this configuration; exit 1 if not."""
    rt = runtime()
    upgrade(rt.engine)
    if agenda.index_is_current(uow=rt.uow, env=rt.env):
        click.echo("The agenda's deadline index is current.")
        return
    click.echo("The agenda's deadline index is stale or not built: the agenda computes every "
               "open dossier until `recruitflow agenda reindex` has run.")
    raise SystemExit(1)


def reindex_if_stale() -> None:
    """For `init` and `serve`, after `upgrade`: build the index when it is stale."""
    rt = runtime()
    done = agenda.reindex_if_stale(uow=rt.uow, env=rt.env, log=_progress)
    if done is not None:
        _report(done)


def _progress(line: str) -> None:
    click.echo(f"  {line}", err=True)


def _report(done: agenda.Reindexed) -> None:
    click.echo(f"Agenda deadline index built: {done.dossiers} open dossiers, "
               f"{done.changed} bounds written, in {done.seconds} s.")
