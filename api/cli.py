"""The `recruitflow` command: init, create-admin, serve, demo, rules; `audit`, `agenda` and
`calendar` groups."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from api.agenda.cli import agenda_group, reindex_if_stale
from api.runtime import runtime
from workflow.domain.errors import Invalid
from workflow.store.migrate import upgrade
from workflow.usecases import accounts, directory, services


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
@click.option("--force", is_flag=True,
              help="load it into a database that already holds data (a second copy)")
@with_appcontext
def demo_command(seed: int, force: bool) -> None:
    """Load a realistic demo: a committee, three branches, members, ~50 dossiers."""
    from workflow.usecases.demo import load_demo

    rt = runtime()
    upgrade(rt.engine)
    if not force and directory.holds_data(uow=rt.uow):
        raise click.ClickException(
            "the database already holds data: the demo would add a second copy beside it. "
            "Use an empty database (RECRUITFLOW_DATABASE_URL), or --force.")
    summary = load_demo(uow=rt.uow, env=rt.env, seed=seed)
    for line in summary:
        click.echo(line)


@click.command("rules")
@with_appcontext
def rules_command() -> None:
    """Print the triggers, rules, records and numbers in force, as Markdown."""
    click.echo(services.rules_markdown(env=runtime().env), nl=False)


@click.command("openapi")
@with_appcontext
def openapi_command() -> None:
    """Print the OpenAPI document (JSON), as GET /api/openapi.json serves it."""
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    click.echo(json.dumps(api.spec.to_dict(), ensure_ascii=False, indent=2))


@click.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="check only: every problem, nothing written")
@with_appcontext
def import_command(file, dry_run: bool) -> None:
    """Import dossiers in flight from an xlsx or CSV sheet (all or nothing)."""
    from workflow.usecases.paperwork.imports import COMMAND_LINE, import_dossiers

    rt = runtime()
    upgrade(rt.engine)
    report = import_dossiers(uow=rt.uow, env=rt.env, actor=COMMAND_LINE, data=file.read(),
                             dry_run=dry_run)
    for p in report.problems:
        click.echo(f"第{p.row}行 {p.column}列（{p.header}）：{p.message}")
    for b in report.breaks:
        click.echo(f"第{b.row}行 {b.column}列（{b.header}）违反规则 {b.rule}：{b.message}"
                   "（仍将按实际记录，见合规报告）")
    verb = "可导入" if dry_run else "已导入"
    if report.ok:
        click.echo(f"{verb} {len(report.created)} 份档案（文件 SHA-256 {report.file_sha256}）。")
    else:
        click.echo(f"共 {len(report.problems)} 处问题，未写入任何数据。")
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    from api.admin.cli import user_group
    from api.audit.cli import audit

    # flask-smorest's own group (print, write, list-config-prefixes) speaks of config
    # prefixes this service does not have; `openapi` above prints the one document.
    app.cli.commands.pop("openapi", None)
    for command in (init_command, create_admin_command, serve_command, demo_command,
                    rules_command, audit, agenda_group, openapi_command, import_command,
                    user_group):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from api.app import create_app

    return create_app()


class RecruitflowGroup(FlaskGroup):
    """Flask's command group, showing recruitflow's commands only: not Flask's own (`run`,
    `shell`, `routes`) nor its options for finding an app (`--app`, `--env-file`, `--debug`),
    which the factory makes pointless."""

    def __init__(self, **kwargs) -> None:
        super().__init__(create_app=_create_app, add_default_commands=False,
                         add_version_option=False, load_dotenv=False, set_debug_flag=False,
                         **kwargs)
        self.params = [p for p in self.params if p.name not in ("app", "env_file", "debug")]


main = RecruitflowGroup(help="recruitflow: the member-recruitment workflow service (发展党员).")
if __name__ == "__main__":
    main()
