"""Shortcuts for tests of the staff's web interface: give a user of the `org` fixture a
password, and sign in through the form as a browser does (CSRF token included)."""

from __future__ import annotations

import re

from workflow.usecases import accounts, services

PASSWORD = "correct horse 7"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def give_password(rt, org, who: str, password: str = PASSWORD) -> str:
    admin = services.authenticate(uow=rt.uow, token=org.tokens["admin"])
    user = services.authenticate(uow=rt.uow, token=org.tokens[who])
    accounts.reset_password(uow=rt.uow, actor=admin, user_id=user.id, login=who,
                            password=password)
    return who


def sign_in(client, rt, org, who: str, *, password: str = PASSWORD, **environ):
    """Sign `who` in on `client`; answers the response to the form's POST."""
    give_password(rt, org, who, password)
    client.delete_cookie("recruitflow_session")  # whoever was signed in on this client
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"login": who, "password": password,
                                       "csrf_token": token}, **environ)


def page_csrf(client, path: str = "/") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))
