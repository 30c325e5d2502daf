"""Fixtures shared by the integration and end-to-end tests.

Every test that takes `app`, `client`, `uow` or `org` runs twice: on SQLite and on
PostgreSQL. PostgreSQL is the server named by RECRUITFLOW_TEST_POSTGRES_URL (default: the
local server, user postgres); each run creates its own database and drops it afterwards. Where
no server answers, the PostgreSQL half is skipped with the reason, unless
RECRUITFLOW_REQUIRE_POSTGRES=1 (as in CI), which makes it an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api import create_app
from tests.live import browser  # noqa: F401 (a fixture, for the browser tests)
from workflow.store import append_only
from workflow.store.database import make_engine
from workflow.store.migrate import upgrade
from workflow.store.tables import metadata
from workflow.usecases.agenda import reindex

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_admin_url() -> str:
    return os.environ.get("RECRUITFLOW_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def _postgres_required() -> bool:
    return os.environ.get("RECRUITFLOW_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    admin_url = make_url(_postgres_admin_url())
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {admin_url.render_as_string()}: {error}"
        if _postgres_required():
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"recruitflow_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        tables = [t.name for t in reversed(metadata.sorted_tables)]
        # The audit table's triggers refuse TRUNCATE and DELETE: lifted for the cleanup.
        with append_only.suspended(connection):
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


class Clock:
    """The service's clock, settable by a test. Starts at the real time."""

    def __init__(self) -> None:
        self.moment: datetime | None = None

    def __call__(self) -> datetime:
        return self.moment or datetime.now(tz=UTC)

    def set_today(self, day: date) -> None:
        # Noon in Shanghai, so that the service's "today" is `day` whatever the hour here.
        self.moment = datetime.combine(day, time(4, 0), tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_config() -> dict:
    """Extra configuration for the app under test; a test module may override it."""
    return {}


@pytest.fixture
def app(database_url, clock, tmp_path, app_config):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock,
                      **app_config},
                     instance_path=str(tmp_path / "instance"))
    rt = app.extensions["recruitflow"]
    # The agenda's deadline index built, as `recruitflow init` leaves it: tests see the agenda
    # a deployment serves (those about the fallback make it stale on purpose).
    reindex(uow=rt.uow, env=rt.env)
    yield app
    app.extensions["recruitflow"].engine.dispose()
    _empty(database_url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def rt(app):
    return app.extensions["recruitflow"]


@dataclass
class Org:
    """A committee with two branches, one user per role, and a registry."""

    committee: int
    branch: int
    other_branch: int
    tokens: dict[str, str]
    full_members: list[int]
    probationary_member: int
    other_committee_branch: int

    def headers(self, who: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}


@pytest.fixture
def org(client, runner) -> Org:
    result = runner.invoke(args=["create-admin", "root"])
    assert result.exit_code == 0, result.output
    admin = {"Authorization": f"Bearer {result.output.strip().splitlines()[-1]}"}

    def post(path: str, body: dict) -> dict:
        response = client.post(path, json=body, headers=admin)
        assert response.status_code == 201, response.json
        return response.json

    committee = post("/api/v1/organizations", {"name": "党委", "kind": "committee"})["id"]
    branch = post("/api/v1/organizations",
                  {"name": "一支部", "kind": "branch", "parent_id": committee})["id"]
    other = post("/api/v1/organizations",
                 {"name": "二支部", "kind": "branch", "parent_id": committee})["id"]
    elsewhere = post("/api/v1/organizations", {"name": "另一党委", "kind": "committee"})["id"]
    far_branch = post("/api/v1/organizations",
                      {"name": "外支部", "kind": "branch", "parent_id": elsewhere})["id"]
    tokens = {"admin": admin["Authorization"].split()[1]}
    for who, role, org_id in [
        ("branch", "branch", branch), ("other_branch", "branch", other),
        ("committee", "committee", committee), ("auditor", "auditor", committee),
        ("far_branch", "branch", far_branch), ("far_committee", "committee", elsewhere),
    ]:
        tokens[who] = post("/api/v1/users",
                           {"name": who, "role": role, "organization_id": org_id})["token"]
    joined = (date.today() - timedelta(days=4000)).isoformat()
    full = [
        post("/api/v1/members", {"name": f"党员{i}", "branch_id": branch, "status": "full",
                                 "joined_on": joined})["id"]
        for i in range(4)
    ]
    probationary = post("/api/v1/members", {"name": "预备党员", "branch_id": branch,
                                            "status": "probationary", "joined_on": joined})["id"]
    return Org(committee, branch, other, tokens, full, probationary, far_branch)
