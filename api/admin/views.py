"""Administration: organisations, users (with their one-time token), the member registry."""

from __future__ import annotations

from api.admin.schemas import (
    MemberCreate,
    MemberOut,
    OrganizationCreate,
    OrganizationOut,
    PasswordReset,
    PasswordResetOut,
    TokenIssued,
    TokenRequest,
    UserCreate,
    UserCreated,
    UserList,
    UserOut,
)
from api.auth import authenticate, current_actor
from api.base import Blueprint
from api.idempotency import idempotent
from api.runtime import runtime
from workflow.domain.roles import Role
from workflow.store.access import UserRow
from workflow.usecases import access, accounts, services

blp = Blueprint("admin", __name__, url_prefix="/api/v1",
                description="Organisations, users and the member registry.")
blp.before_request(authenticate)


@blp.route("/organizations", methods=["POST"])
@idempotent
@blp.arguments(OrganizationCreate)
@blp.response(201, OrganizationOut)
def create_organization(data):
    """Admin: a committee or a branch, under a committee (`parent_id`)."""
    rt = runtime()
    org = services.create_organization(uow=rt.uow, env=rt.env, actor=current_actor(), **data)
    return {"id": org.id, "name": org.name, "kind": org.kind, "parent_id": org.parent_id}, 201


@blp.route("/users", methods=["POST"])
@idempotent(withhold=("token",))
@blp.arguments(UserCreate)
@blp.response(201, UserCreated)
def create_user(data):
    """Admin: a user with a role in an organisation; the answer carries its token, once.
    Repeated with the same `Idempotency-Key`, the answer has no `token` (only its hash is
    kept) and lists it under `withheld`: ask `POST /users/<id>/token` for a new one."""
    rt = runtime()
    user_id, token = services.create_user(uow=rt.uow, env=rt.env, actor=current_actor(),
                                          name=data["name"], role=Role(data["role"]),
                                          organization_id=data["organization_id"],
                                          login=data["login"], password=data.pop("password"))
    return {**data, "id": user_id, "token": token}, 201


def user_out(user: UserRow) -> dict:
    return {"id": user.id, "name": user.name, "role": user.role,
            "organization_id": user.organization_id, "active": user.active,
            "token_expires_at": user.token_expires_at, "created_at": user.created_at}


USER = "/users/<int(max=2147483647):user_id>"


@blp.route("/users", methods=["GET"])
@blp.response(200, UserList)
def list_users():
    """Admin: the users of your organisation's subtree, active or not."""
    users = access.list_users(uow=runtime().uow, actor=current_actor())
    return {"items": [user_out(u) for u in users], "total": len(users)}


@blp.route(USER, methods=["DELETE"])
@blp.response(200, UserOut)
def deactivate_user(user_id: int):
    """Admin: deactivate a user. Its token, browser sessions and calendar feed are refused
    on every worker within two seconds; what it did stays in the audit log."""
    return user_out(access.deactivate_user(uow=runtime().uow, actor=current_actor(),
                                           user_id=user_id))


# Not idempotent on purpose: a kept answer would keep the token; ask again instead.
@blp.route(USER + "/token", methods=["POST"])
@blp.arguments(TokenRequest)
@blp.response(201, TokenIssued)
def replace_token(data, user_id: int):
    """Admin: a new token for the user, shown this once; the old one is refused on every
    worker within two seconds. `expires_on`: its last day (optional)."""
    rt = runtime()
    user, token = access.replace_token(uow=rt.uow, env=rt.env, actor=current_actor(),
                                       user_id=user_id, expires_on=data["expires_on"])
    return {**user_out(user), "token": token}, 201
@blp.route("/users/<int:user_id>/password", methods=["POST"])
@blp.arguments(PasswordReset)
@blp.response(200, PasswordResetOut)
def reset_password(data, user_id):
    """Admin: set a user's web password (generated when not given), and optionally its login.
    The user's open web sessions end."""
    login, password = accounts.reset_password(uow=runtime().uow, actor=current_actor(),
                                              user_id=user_id, **data)
    return {"login": login, "password": password}


@blp.route("/members", methods=["POST"])
@idempotent
@blp.arguments(MemberCreate)
@blp.response(201, MemberOut)
def create_member(data):
    """Admin or branch: a party member of the registry (contacts and sponsors come from it)."""
    rt = runtime()
    member_id = services.create_member(uow=rt.uow, env=rt.env, actor=current_actor(), **data)
    return {**data, "id": member_id}, 201
