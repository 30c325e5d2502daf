"""The `recruitflow` command: init, create-admin, serve, demo, rules; `audit`, `agenda` and
`calendar` groups."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from api.agenda.cli import agenda_group, reindex_if_stale
from api.runtime import runtime
from workflow.domain.errors import Invalid
from workflow.store.migrate import upgrade
from workflow.usecases import accounts, services


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database schema (idempotent)."""
    upgrade(runtime().engine)
    click.echo(f"Database schema is current: {runtime().engine.url.render_as_string()}")
    reindex_if_stale()


@click.command("create-admin")
@click.argument("name")
@click.option("--login", default=None,
              help="sign-in name for the web interface; the password is read from standard "
                   "input (one line), or generated and printed when none is given")
@with_appcontext
def create_admin_command(name: str, login: str | None) -> None:
    """Create an administrator; its token is the last line of output."""
    rt = runtime()
    upgrade(rt.engine)
    password, generated = None, False
    if login is not None:
        password = _password_from_stdin()
        if password is None:
            password, generated = accounts.generate_password(), True
    try:
        user_id, token = services.create_admin(uow=rt.uow, env=rt.env, name=name, login=login,
                                               password=password)
    except Invalid as invalid:
        raise click.UsageError("; ".join(invalid.fields.values())) from None
    click.echo(f"Administrator {name!r} created (user {user_id}).")
    if generated:
        click.echo(f"Web sign-in: {login} {password}  (generated; shown once)")
    elif login is not None:
        click.echo(f"Web sign-in: {login} (password from standard input)")
    click.echo("Its token, shown once:")
    click.echo(token)


def _password_from_stdin() -> str | None:
    """The first line of standard input when something is piped in, else None."""
    stream = sys.stdin
    if stream is None or stream.isatty():
        return None
    line = stream.readline().rstrip("\r\n")
    return line or None


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
    """Serve the API with gunicorn, creating the schema first if the database is new."""
    from api.server import serve

    upgrade(runtime().engine)
    reindex_if_stale()
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
    from api.audit.cli import audit

    for command in (init_command, create_admin_command, serve_command, demo_command,
                    rules_command, audit, agenda_group):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from api.app import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=False,
                  help="recruitflow: the member-recruitment workflow service.")
if __name__ == "__main__":
    main()
