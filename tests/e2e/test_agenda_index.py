"""The agenda's deadline index at its edges: due dates and horizons, a publicity across National
Day and a holiday table loaded later, every change writing its bound, a stale index."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from tests.helpers import create_applicant, dossier_in, fire, record
from workflow.domain.calendar import YearTable
from workflow.domain.dates import add_months
from workflow.store.tables import derived_indexes, dossiers
from workflow.usecases import agenda, calendars, services

DAY = timedelta(days=1)


def next_due(rt, dossier_id: int) -> date | None:
    with rt.engine.connect() as connection:
        return connection.execute(
            select(dossiers.c.next_due).where(dossiers.c.id == dossier_id)).scalar_one()


def both(rt, org, who: str = "committee", **query) -> list:
    """The agenda from the index, after checking it is the agenda of every dossier."""
    actor = services.authenticate(uow=rt.uow, token=org.tokens[who])
    indexed = agenda.agenda(uow=rt.uow, env=rt.env, actor=actor, **query)
    assert indexed == agenda.agenda(uow=rt.uow, env=rt.env, actor=actor, use_index=False,
                                    **query)
    return indexed


def rules_of(items: list, dossier_id: int) -> dict[str, date]:
    return {i.rule: i.due for i in items if i.dossier_id == dossier_id}


def test_the_day_before_and_the_day_of_a_due_date_and_the_horizon_boundary(client, rt, org,
                                                                           clock):
    applied = date(2025, 3, 3)
    clock.set_today(applied)
    dossier = create_applicant(client, org, applied_on=applied)
    due = date(2025, 4, 3)
    assert next_due(rt, dossier["id"]) == due
    assert agenda.index_is_current(uow=rt.uow, env=rt.env)
    for today, horizon, shown in [
        (due - 10 * DAY, 10, True), (due - 10 * DAY, 9, False), (due - 11 * DAY, 10, False),
        (due - DAY, 0, False), (due - DAY, 1, True), (due, 0, True), (due + DAY, 0, True),
        (due + DAY, None, True), (applied, None, True),
    ]:
        items = rules_of(both(rt, org, today=today, horizon_days=horizon), dossier["id"])
        assert ("talk_deadline" in items) == shown, (today, horizon)
    # The talk closes the obligation: the change that records it clears the bound.
    clock.set_today(due)
    assert record(client, org, dossier["id"], "talk", due, "branch", by="书记").status_code == 201
    assert next_due(rt, dossier["id"]) is None
    assert rules_of(both(rt, org, today=due), dossier["id"]) == {}


def test_each_change_writes_the_bound_of_the_facts_it_leaves(client, rt, org, clock):
    clock.set_today(date(2025, 6, 2))
    activist = dossier_in(client, rt, org, "activist")
    before = next_due(rt, activist["id"])
    assert before == rules_of(both(rt, org), activist["id"])["evaluation_due"]
    # A record moves the next evaluation: its own change writes the new bound.
    assert record(client, org, activist["id"], "evaluation", date(2025, 6, 2), "branch",
                  summary="良好").status_code == 201
    assert next_due(rt, activist["id"]) == date(2025, 12, 2) > before
    approval = dossier_in(client, rt, org, "approval")
    voted = date.fromisoformat(approval["dates"]["voted_on"])
    assert next_due(rt, approval["id"]) == add_months(voted, 3)
    assert record(client, org, approval["id"], "extension_reason", date(2025, 6, 2),
                  "committee", reason="外调未完成").status_code == 201
    assert next_due(rt, approval["id"]) == add_months(voted, 6)
    # A transition too: approved, what falls due next is the end of probation.
    clock.set_today(voted + 40 * DAY)
    assert fire(client, org, approval["id"], "approve", voted + 40 * DAY,
                "committee").status_code == 200
    assert next_due(rt, approval["id"]) == add_months(voted, 12)


def test_a_publicity_across_national_day_and_a_table_loaded_later(client, rt, org, clock):
    clock.set_today(date(2025, 9, 28))
    dossier = dossier_in(client, rt, org, "publicity", finished_by=date(2025, 9, 26))
    started = date.fromisoformat(dossier["dates"]["publicity_started_on"])
    last_day = date.fromisoformat(dossier["publicity"]["last_day"])
    # Five working days from 26 September end on 9 October; the bound counts every day.
    assert (started, last_day) == (date(2025, 9, 26), date(2025, 10, 9))
    assert next_due(rt, dossier["id"]) == date(2025, 9, 30)
    for horizon, shown in [(2, False), (10, False), (11, True), (None, True)]:
        items = rules_of(both(rt, org, horizon_days=horizon), dossier["id"])
        assert ("publicity_elapsed" in items) == shown, horizon
    assert items["publicity_elapsed"] == last_day

    # A year without an official table counts Monday to Friday; the table loaded later moves
    # the end: no rebuild is needed, the bound holds for any table.
    clock.set_today(date(2031, 9, 29))
    later = dossier_in(client, rt, org, "publicity", finished_by=date(2031, 9, 26))
    assert date.fromisoformat(later["publicity"]["last_day"]) == date(2031, 10, 2)
    assert rules_of(both(rt, org, horizon_days=3), later["id"]) == {
        "publicity_elapsed": date(2031, 10, 2)}
    holidays = frozenset(date(2031, 10, d) for d in range(1, 8))
    calendars.load_table(uow=rt.uow, env=rt.env, table=YearTable(
        2031, holidays=holidays, workdays=frozenset({date(2031, 9, 28)}), source="测试"))
    assert agenda.index_is_current(uow=rt.uow, env=rt.env)
    assert rules_of(both(rt, org, horizon_days=3), later["id"]) == {}
    assert rules_of(both(rt, org, horizon_days=11), later["id"]) == {
        "publicity_elapsed": date(2031, 10, 8)}
    # Make-up working days bring an end forward, never before the bound.
    weekends = frozenset(date(2031, 9, 27) + n * DAY for n in range(40)
                         if (date(2031, 9, 27) + n * DAY).weekday() >= 5)
    calendars.load_table(uow=rt.uow, env=rt.env, table=YearTable(2031, workdays=weekends))
    assert next_due(rt, later["id"]) == date(2031, 9, 30)
    assert rules_of(both(rt, org, horizon_days=1), later["id"]) == {
        "publicity_elapsed": date(2031, 9, 30)}


def test_a_stale_index_is_not_used_and_reindex_restores_it(client, rt, org, clock, runner):
    clock.set_today(date(2025, 6, 2))
    dossier = create_applicant(client, org, applied_on=date(2025, 5, 20))

    def shown() -> bool:
        body = client.get("/api/v1/agenda", headers=org.headers("committee")).json
        return any(i["dossier_id"] == dossier["id"] for i in body["items"])

    assert shown()
    # The agenda reads the index: a dossier whose bound is gone is not asked at all...
    with rt.engine.begin() as connection:
        connection.execute(update(dossiers).where(dossiers.c.id == dossier["id"])
                           .values(next_due=None))
    assert not shown()
    # ...unless the index was built with another configuration: then every open dossier is.
    with rt.engine.begin() as connection:
        connection.execute(update(derived_indexes).values(fingerprint="0" * 64))
    assert not agenda.index_is_current(uow=rt.uow, env=rt.env)
    assert shown()
    status = runner.invoke(args=["agenda", "status"])
    assert status.exit_code == 1 and "stale" in status.output
    result = runner.invoke(args=["agenda", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1 open dossiers, 1 bounds written" in result.output
    assert next_due(rt, dossier["id"]) == date(2025, 6, 20)
    assert agenda.index_is_current(uow=rt.uow, env=rt.env)
    assert runner.invoke(args=["agenda", "status"]).exit_code == 0
    assert shown()


def test_init_builds_a_stale_index_and_leaves_a_current_one(client, rt, org, clock, runner):
    clock.set_today(date(2025, 6, 2))
    create_applicant(client, org, applied_on=date(2025, 5, 20))
    with rt.engine.begin() as connection:
        connection.execute(update(derived_indexes).values(fingerprint=None))
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0 and "deadline index built: 1 open dossiers" in first.output
    assert agenda.index_is_current(uow=rt.uow, env=rt.env)
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and "deadline index" not in second.output
