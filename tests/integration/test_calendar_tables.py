"""`recruitflow calendar load/show`: a loaded table is stored and used at once everywhere."""

from __future__ import annotations

from datetime import date

import pytest

from api import create_app
from tests.helpers import dossier_in
from workflow.domain.calendar import WorkingDayCalendar, YearTable
from workflow.usecases import calendars

UNKNOWN = max(WorkingDayCalendar().known_years()) + 1


@pytest.fixture
def second_worker(database_url, clock, tmp_path):
    """Another app on the same database: what a second worker process holds. It checks for
    new tables on every request (the default is at most once a second)."""
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock,
                        "CALENDAR_CHECK_SECONDS": 0},
                       instance_path=str(tmp_path / "second"))
    yield other.test_client()
    other.extensions["recruitflow"].engine.dispose()


def publicity_of(client, org, dossier_id: int) -> dict:
    response = client.get(f"/api/v1/applicants/{dossier_id}", headers=org.headers("committee"))
    assert response.status_code == 200
    return response.json["publicity"]


def test_a_loaded_table_is_used_at_once_by_every_worker(client, rt, org, clock, runner,
                                                        second_worker, tmp_path):
    clock.set_today(date(UNKNOWN, 3, 20))
    dossier = dossier_in(client, rt, org, "publicity", finished_by=date(UNKNOWN, 3, 16))
    before = publicity_of(second_worker, org, dossier["id"])
    assert str(UNKNOWN) in before["calendar_warning"]
    public = second_worker.get("/api/v1/publicity").json["items"][0]
    assert public["calendar_warning"] == before["calendar_warning"]

    first_day = date.fromisoformat(before["first_day"])
    table = tmp_path / f"{UNKNOWN}.toml"
    table.write_text(f'year = {UNKNOWN}\nsource = "测试通知"\nholidays = [{first_day}]\n'
                     f'workdays = []\n', encoding="utf-8")
    result = runner.invoke(args=["calendar", "load", str(table)])
    assert result.exit_code == 0, result.output
    assert f"{UNKNOWN}: table added (1 holidays" in result.output

    after = publicity_of(second_worker, org, dossier["id"])
    assert after["calendar_warning"] is None
    assert date.fromisoformat(after["first_day"]) > first_day
    assert date.fromisoformat(after["last_day"]) > date.fromisoformat(before["last_day"])
    assert second_worker.get("/api/v1/publicity").json["items"][0]["calendar_warning"] is None

    # Loading the year again replaces its table: back to the plain week.
    table.write_text(f"year = {UNKNOWN}\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "load", str(table)])
    assert "table replaced (0 holidays" in result.output
    again = publicity_of(second_worker, org, dossier["id"])
    assert (again["first_day"], again["last_day"]) == (before["first_day"], before["last_day"])
    assert again["calendar_warning"] is None


def test_show_a_year(runner, tmp_path):
    result = runner.invoke(args=["calendar", "show", "2025"])
    assert result.exit_code == 0
    assert "source: chinese-calendar" in result.output
    assert "2025-10-08 星期三" in result.output and "2025-09-28 星期日" in result.output
    result = runner.invoke(args=["calendar", "show", str(UNKNOWN + 1)])
    assert result.exit_code == 0
    assert f"{UNKNOWN + 1}: WARNING: No official holiday table" in result.output

    table = tmp_path / "t.toml"
    table.write_text(f"year = {UNKNOWN + 1}\nholidays = [[{UNKNOWN + 1}-10-01, "
                     f"{UNKNOWN + 1}-10-03]]\n", encoding="utf-8")
    assert runner.invoke(args=["calendar", "load", str(table)]).exit_code == 0
    result = runner.invoke(args=["calendar", "show", str(UNKNOWN + 1)])
    assert "source: t.toml" in result.output and "holidays: 3" in result.output


@pytest.mark.parametrize(("text", "message"), [
    (f"year = {UNKNOWN}\nholidays = [{UNKNOWN + 1}-01-01]", f"dates outside {UNKNOWN}"),
    ("year = [", "not valid TOML"),
])
def test_a_bad_file_is_refused_and_nothing_is_stored(runner, tmp_path, text, message):
    table = tmp_path / "bad.toml"
    table.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["calendar", "load", str(table)])
    assert result.exit_code != 0
    assert message in result.output
    assert "WARNING" in runner.invoke(args=["calendar", "show", str(UNKNOWN)]).output


def test_a_worker_checks_at_most_once_per_interval(app, client, database_url, clock, rt,
                                                   tmp_path):
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock,
                        "CALENDAR_CHECK_SECONDS": 3600},
                       instance_path=str(tmp_path / "third"))
    try:
        worker = other.test_client()
        assert worker.get("/api/v1/publicity").status_code == 200  # its first check
        calendars.load_table(uow=rt.uow, env=rt.env,
                             table=YearTable(UNKNOWN, frozenset({date(UNKNOWN, 1, 4)})))
        worker.get("/api/v1/publicity")
        held = other.extensions["recruitflow"].env.calendar
        assert held.table(UNKNOWN) is None  # not checked again within the hour
        other.extensions["recruitflow_calendar_checked"].at -= 3600
        worker.get("/api/v1/publicity")
        assert held.table(UNKNOWN) is not None
    finally:
        other.extensions["recruitflow"].engine.dispose()


def test_a_failed_check_does_not_fail_a_request_that_needs_no_database(tmp_path):
    # A database without the schema: the check for tables fails, and is retried next time.
    bare = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'bare.db'}"},
                      instance_path=str(tmp_path / "bare"))
    try:
        client = bare.test_client()
        assert client.get("/api/openapi.json").status_code == 200
        assert bare.extensions["recruitflow_calendar_checked"].at == float("-inf")
        # No schema is not a passing trouble: 500, not 503 "retry shortly" (issue 12).
        down = client.get("/api/v1/publicity")
        assert down.status_code == 500 and down.json["error"] == "internal_error"
    finally:
        bare.extensions["recruitflow"].engine.dispose()
