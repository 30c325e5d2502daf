"""`recruitflow user …`: list users, deactivate one, issue one a new token — as an
administrator of the whole tree (whoever runs it holds the database's credentials)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from api.runtime import runtime
from workflow.domain.errors import DomainError
from workflow.store.access import UserRow
from workflow.usecases import access


def _line(user: UserRow) -> str:
    state = "active" if user.active else "deactivated"
    expiry = f", token expires {user.token_expires_at:%Y-%m-%d %H:%M %Z}" \
        if user.token_expires_at else ""
    return (f"{user.id}\t{user.name}\t{user.role}\torganisation "
            f"{user.organization_id or '-'}\t{state}{expiry}")


@click.group("user")
def user_group() -> None:
    """Users: list them, deactivate one, replace a token."""


@user_group.command("list")
@with_appcontext
def list_command() -> None:
    """Every user: id, name, role, organisation, whether active."""
    for user in access.list_users(uow=runtime().uow, actor=access.COMMAND_LINE):
        click.echo(_line(user))


@user_group.command("deactivate")
@click.argument("user_id", type=int)
@with_appcontext
def deactivate_command(user_id: int) -> None:
    """Deactivate a user: its token and sessions are refused within two seconds."""
    try:
        user = access.deactivate_user(uow=runtime().uow, actor=access.COMMAND_LINE,
                                      user_id=user_id)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(_line(user))


@user_group.command("token")
@click.argument("user_id", type=int)
@click.option("--expires-on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the last day the new token works (YYYY-MM-DD); default: until replaced")
@with_appcontext
def token_command(user_id: int, expires_on) -> None:
    """Issue a new token (the last line), shown once; the old one stops working."""
    rt = runtime()
    try:
        user, token = access.replace_token(
            uow=rt.uow, env=rt.env, actor=access.COMMAND_LINE, user_id=user_id,
            expires_on=expires_on.date() if expires_on else None)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(_line(user))
    click.echo(token)
