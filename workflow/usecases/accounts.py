"""Signing in to the web interface: login names, passwords, failed attempts, sessions.

Passwords are hashed with Argon2id (argon2-cffi, the winner of the Password Hashing
Competition and OWASP's first choice); the encoded hash carries its salt and parameters, so
they can be raised later and old hashes still verify. A web session is bound to a stamp of the
user's credentials (token hash and password hash): a new token, a new password or a
deactivated user ends every session at its next request, as it ends the token's use.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Invalid, Message, NotFound, role_may_not
from workflow.domain.roles import Role
from workflow.store.repository import Repository, UserSecrets
from workflow.store.uow import UnitOfWork

_hasher = PasswordHasher()
# Verified when the login is unknown, so that an unknown login takes as long as a known one.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

LOGIN_TAKEN = Message("this login is taken", "该登录名已被使用")
LOGIN = re.compile(r"^[\w.@-]{2,100}$")
PASSWORD_MIN, PASSWORD_MAX = 8, 200
# Repeated failures are refused for a while, per login and per address (an office often
# shares one address, hence its larger allowance).
FAILURE_WINDOW = timedelta(minutes=15)
FAILURES_PER_LOGIN = 5
FAILURES_PER_ADDRESS = 20
# Generated passwords: no characters that are easily confused (0/O, 1/l/I).
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def generate_password(length: int = 12) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def check_login(login: str, field: str = "login") -> str:
    login = login.strip()
    if not LOGIN.match(login):
        raise Invalid({field: Message("2–100 letters, digits, or . @ - _",
                                      "登录名为2至100个字母、数字、汉字或 . @ - _")})
    return login


def check_password(password: str, field: str = "password") -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise Invalid({field: Message(f"{PASSWORD_MIN}–{PASSWORD_MAX} characters",
                                      f"密码长度应为{PASSWORD_MIN}至{PASSWORD_MAX}个字符")})
    return password


def new_credentials(repo: Repository, login: str | None, password: str | None,
                    ) -> tuple[str | None, str | None]:
    """The login and password hash of a user being created (both or neither)."""
    if login is None and password is None:
        return None, None
    if login is None or password is None:
        field = "password" if password is None else "login"
        raise Invalid({field: Message("login and password go together",
                                      "登录名与密码须一并设置")})
    login = check_login(login)
    if repo.login_taken(login):
        raise Invalid({"login": LOGIN_TAKEN})
    return login, hash_password(check_password(password))


def stamp(credentials: UserSecrets) -> str:
    """What a session remembers of the credentials it was opened with."""
    material = f"{credentials.token_hash}:{credentials.password_hash}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the actor and session stamp, or why not."""

    actor: Actor | None = None
    stamp: str | None = None
    retry_after: timedelta | None = None

    @property
    def ok(self) -> bool:
        return self.actor is not None


def _keys(login: str, address: str) -> tuple[str, str]:
    return f"login:{login[:150]}", f"address:{address[:150]}"


def sign_in(*, uow: UnitOfWork, env: Environment, login: str, password: str,
            address: str) -> SignIn:
    now = env.now()
    login_key, address_key = _keys(login.strip(), address)
    with uow.transaction() as tx:
        failures = tx.repo.recent_failures((login_key, address_key), now - FAILURE_WINDOW)
        if (failures.get(login_key, 0) >= FAILURES_PER_LOGIN
                or failures.get(address_key, 0) >= FAILURES_PER_ADDRESS):
            return SignIn(retry_after=FAILURE_WINDOW)
        credentials = tx.repo.user_credentials(login=login.strip())
    hashed = credentials.password_hash if credentials else None
    if credentials is None or not _verify(hashed, password):
        with uow.transaction(write=True) as tx:
            tx.repo.add_failures((login_key, address_key), now=now,
                                 forget_before=now - FAILURE_WINDOW)
            tx.commit()
        return SignIn()
    with uow.transaction(write=True) as tx:
        tx.repo.clear_failures(login_key)
        tx.commit()
    return SignIn(actor=credentials.actor, stamp=stamp(credentials))


def session_actor(*, uow: UnitOfWork, user_id: int, session_stamp: str) -> Actor | None:
    """The user of a web session, if its credentials are still those it was opened with."""
    with uow.transaction() as tx:
        credentials = tx.repo.user_credentials(user_id=user_id)
    if credentials is None or not secrets.compare_digest(stamp(credentials), session_stamp):
        return None
    return credentials.actor


def change_own_password(*, uow: UnitOfWork, actor: Actor, current: str, new: str) -> str:
    """Change the actor's password; the answer is the session's new stamp."""
    check_password(new, "new_password")
    with uow.transaction() as tx:
        credentials = tx.repo.user_credentials(user_id=actor.id)
    if credentials is None or not _verify(credentials.password_hash, current):
        raise Invalid({"current_password": Message("the current password is wrong",
                                                   "当前密码不正确")})
    with uow.transaction(write=True) as tx:
        tx.repo.set_password(actor.id, password_hash=hash_password(new))
        credentials = tx.repo.user_credentials(user_id=actor.id)
        tx.commit()
    return stamp(credentials)


def reset_password(*, uow: UnitOfWork, actor: Actor, user_id: int, password: str | None = None,
                   login: str | None = None) -> tuple[str, str]:
    """Admin: set a user's password (generated when not given) and, optionally, login.
    Answers the login and the password, to hand over once."""
    if actor.role != Role.ADMIN:
        raise Forbidden(role_may_not(actor.role))
    password = check_password(password) if password is not None else generate_password()
    with uow.transaction(write=True) as tx:
        credentials = tx.repo.user_credentials(user_id=user_id)
        if credentials is None or not actor.covers(_path_of(credentials)):
            raise NotFound(Message(f"no user {user_id}", f"没有用户 {user_id}"))
        if login is not None:
            login = check_login(login)
            if tx.repo.login_taken(login, other_than=user_id):
                raise Invalid({"login": LOGIN_TAKEN})
        login = login or credentials.login
        if login is None:
            raise Invalid({"login": Message("the user has no login yet: give one",
                                            "该用户尚无登录名，请一并设置")})
        tx.repo.set_password(user_id, password_hash=hash_password(password), login=login)
        tx.commit()
    return login, password


def _path_of(credentials: UserSecrets) -> str:
    return credentials.actor.organization_path
