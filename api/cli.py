"""The `recruitflow` command: init, create-admin, serve, demo, rules; `audit`, `agenda` and
`calendar` groups."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from api.agenda.cli import agenda_group, reindex_if_stale
from api.runtime import runtime
from workflow.store.migrate import upgrade
from workflow.usecases import services


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database schema (idempotent)."""
    upgrade(runtime().engine)
    click.echo(f"Database schema is current: {runtime().engine.url.render_as_string()}")
    reindex_if_stale()


@click.command("create-admin")
@click.argument("name")
@with_appcontext
def create_admin_command(name: str) -> None:
    """Create an administrator; its token is the last line of output."""
    rt = runtime()
    upgrade(rt.engine)
    user_id, token = services.create_admin(uow=rt.uow, env=rt.env, name=name)
    click.echo(f"Administrator {name!r} created (user {user_id}). Its token, shown once:")
    click.echo(token)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--workers", default=2, type=int, show_default=True,
              help="worker processes (gunicorn)")
# Two threads a worker: enough to overlap a request's waits on the database; more only
# contend for the worker's GIL (bench/README.md: 10 % more CPU a request with four).
@click.option("--threads", default=2, type=int, show_default=True,
              help="threads per worker")
@with_appcontext
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API with gunicorn, creating the schema first if the database is new.
    Refuses (exit 1) a port that another process already serves."""
    from api.server import PortInUse, refuse_port_in_use, serve, url

    try:
        refuse_port_in_use(host, port)
    except PortInUse as error:
        raise click.ClickException(str(error)) from None
    upgrade(runtime().engine)
    reindex_if_stale()
    click.echo(f"recruitflow serves {url(host, port)} ({workers} workers of {threads} "
               f"threads; database {runtime().engine.url.render_as_string()})")
    serve(instance_path=current_app.instance_path, host=host, port=port, workers=workers,
          threads=threads)


@click.command("demo")
@click.option("--seed", default=2026, type=int, show_default=True)
@with_appcontext
def demo_command(seed: int) -> None:
    """Load a realistic demo: a committee, three branches, members, ~50 dossiers."""
    from workflow.usecases.demo import load_demo

    rt = runtime()
    upgrade(rt.engine)
    summary = load_demo(uow=rt.uow, env=rt.env, seed=seed)
    for line in summary:
        click.echo(line)


@click.command("rules")
@with_appcontext
def rules_command() -> None:
    """Print the triggers, rules, records and numbers in force, as Markdown."""
    click.echo(services.rules_markdown(env=runtime().env), nl=False)


def init_app(app: Flask) -> None:
    from api.admin.cli import user_group
    from api.audit.cli import audit

    for command in (init_command, create_admin_command, serve_command, demo_command,
                    rules_command, audit, agenda_group, user_group):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from api.app import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=False,
                  help="recruitflow: the member-recruitment workflow service.")
if __name__ == "__main__":
    main()
