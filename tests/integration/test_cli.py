"""The `recruitflow` commands, through Flask's CLI runner."""

from __future__ import annotations

from workflow.store.migrate import current_revision, head_revision
from workflow.usecases import services


def test_init_is_idempotent(runner, rt):
    for _ in range(2):
        result = runner.invoke(args=["init"])
        assert result.exit_code == 0, result.output
    assert current_revision(rt.engine) == head_revision()


def test_create_admin_prints_a_working_token_last(runner, rt, client):
    result = runner.invoke(args=["create-admin", "王书记"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    actor = services.authenticate(uow=rt.uow, token=token)
    assert actor is not None and actor.role == "admin" and actor.name == "王书记"
    # Only the hash is kept.
    from sqlalchemy import select

    from workflow.store.tables import users

    with rt.engine.connect() as connection:
        stored = connection.execute(select(users.c.token_hash)).scalars().all()
    assert token not in stored and services.hash_token(token) in stored


def test_demo_populates_every_state(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    token = next(line.split(": ")[1] for line in result.output.splitlines()
                 if "token auditor" in line)
    headers = {"Authorization": f"Bearer {token}"}
    states = client.get("/api/v1/workflow", headers=headers).json["states"]
    for state in states:
        listed = client.get(f"/api/v1/applicants?state={state['name']}", headers=headers).json
        assert listed["total"] >= 1, state["name"]
    total = client.get("/api/v1/applicants", headers=headers).json["total"]
    assert 45 <= total <= 60
    assert client.get("/api/v1/publicity").json["total"] >= 4


def test_rules_reference_is_generated_and_current(runner):
    from pathlib import Path

    result = runner.invoke(args=["rules"])
    assert result.exit_code == 0
    assert "| `publicity_elapsed` |" in result.output
    committed = Path(__file__).parents[2] / "docs" / "RULES.md"
    assert committed.read_text(encoding="utf-8") == result.output, (
        "docs/RULES.md is stale: regenerate it with `recruitflow rules > docs/RULES.md`")


def test_demo_refuses_a_database_that_holds_data_unless_forced(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "already holds data" in again.output
    assert "token" not in again.output
    forced = runner.invoke(args=["demo", "--force"])
    assert forced.exit_code == 0, forced.output
