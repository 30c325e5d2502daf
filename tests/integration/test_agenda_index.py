"""The agenda's deadline index on the demo: the same agenda as computing every dossier, and a
bound that holds under any calendar and rulebook."""

from __future__ import annotations

from datetime import date, timedelta

from tests.integration.conftest import TODAY
from workflow.domain.calendar import WorkingDayCalendar, YearTable
from workflow.domain.deadlines import deadline_rules, earliest_due
from workflow.domain.rulebook import RulebookSet
from workflow.store.reports import Reports
from workflow.usecases import agenda

YEARS = range(2022, 2028)


def _weekend(year: int) -> frozenset[date]:
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range(366))
    return frozenset(d for d in days if d.year == year and d.weekday() >= 5)


# Calendars a deployment could have by the time a deadline falls due: the package's, one in
# which every day is worked (make-up days on every weekend: the soonest any publicity ends),
# and one with the whole autumn of 2025 off (a publicity ends much later).
ALL_WORKING = WorkingDayCalendar([YearTable(y, workdays=_weekend(y)) for y in YEARS])
LONG_HOLIDAY = WorkingDayCalendar([YearTable(2025, holidays=frozenset(
    date(2025, 9, 1) + timedelta(days=n) for n in range(90)
    if (date(2025, 9, 1) + timedelta(days=n)).weekday() < 5))])
CALENDARS = [WorkingDayCalendar(), ALL_WORKING, LONG_HOLIDAY]
RULEBOOK_SETS = [
    RulebookSet.from_config(),
    # A later version with shorter periods, one of them down to a single day.
    RulebookSet.from_config({}, [{"id": "short", "effective_from": "2025-10-01",
                                  "publicity_working_days": 1, "approval_months": 1,
                                  "evaluation_interval_months": 3, "probation_months": 6,
                                  "talk_deadline_months": 0}]),
    # Longer numbers overridden, and a version in between that shortens them again.
    RulebookSet.from_config({"publicity_working_days": 10, "approval_months": 4},
                            [{"id": "mid", "effective_from": "2024-01-01",
                              "publicity_working_days": 3, "probation_months": 18}]),
]


def _all_dossiers(rt) -> list:
    with rt.uow.transaction() as tx:
        return Reports(tx.repo.connection).dossiers_with_records(
            scope_path="/", states=[s.name for s in rt.env.procedure.states])


def _every_deadline(rt, dossiers: list, day: date, horizon: int | None) -> list:
    """The agenda by brute force: every rule asked about every open dossier, all its records
    loaded. What the agenda must answer, by whichever path."""
    rulebook = rt.env.rulebook_on(day)
    until = day + timedelta(days=horizon) if horizon is not None else date.max
    found = [
        (deadline.due, entry.dossier.id, deadline.rule)
        for entry in dossiers if not rt.env.procedure.state(entry.dossier.state).final
        for rule in deadline_rules(rt.env.procedure)
        if (deadline := rule.deadline(entry.dossier, rulebook, rt.env.calendar)) is not None
        and deadline.due <= until
    ]
    return sorted(found)


def test_the_agenda_from_the_index_is_the_agenda_of_every_dossier(rt, demo):
    assert agenda.index_is_current(uow=rt.uow, env=rt.env)
    everything = _all_dossiers(rt)
    seen = set()
    for offset in (-40, -1, 0, 1, 2, 7, 11, 30, 90, 200, 400, 800):
        day = TODAY + timedelta(days=offset)
        for horizon in (None, 0, 1, 7, 11, 30, 365):
            indexed = agenda.agenda(uow=rt.uow, env=rt.env, actor=demo, today=day,
                                    horizon_days=horizon)
            computed = agenda.agenda(uow=rt.uow, env=rt.env, actor=demo, today=day,
                                     horizon_days=horizon, use_index=False)
            assert indexed == computed, (day, horizon)
            assert [(i.due, i.dossier_id, i.rule) for i in indexed] == _every_deadline(
                rt, everything, day, horizon), (day, horizon)
            seen.add(len(indexed))
    # Not vacuous: the agendas compared differ in size from day to day and horizon to horizon.
    assert len(seen) > 5 and max(seen) >= 20


def test_the_index_reads_only_what_can_fall_due(rt, demo):
    open_states = [s.name for s in rt.env.procedure.states if not s.final]
    with rt.uow.transaction() as tx:
        reports = Reports(tx.repo.connection)
        every = reports.dossiers_in_scope(scope_path="/", states=open_states)
        within = reports.dossiers_in_scope(scope_path="/", states=open_states,
                                           due_by=TODAY + timedelta(days=7))
    assert 0 < len(within) < len(every) / 2


def test_the_stored_bound_is_the_one_function_of_the_dossier(rt, demo):
    found = _all_dossiers(rt)
    assert len(found) > 40
    for entry in found:
        assert entry.next_due == earliest_due(entry.dossier, rt.env.procedure,
                                              rt.env.rulebooks), entry.dossier
    assert {e.next_due is None for e in found} == {True, False}
    assert agenda.reindex(uow=rt.uow, env=rt.env).changed == 0


def test_the_bound_holds_under_any_calendar_and_rulebook(rt, demo):
    rules = deadline_rules(rt.env.procedure)
    for entry in _all_dossiers(rt):
        d = entry.dossier
        for rulebooks in RULEBOOK_SETS:
            bound = earliest_due(d, rt.env.procedure, rulebooks)
            dues = {
                (calendar, deadline.due)
                for calendar in CALENDARS
                for rulebook in rulebooks.versions
                for rule in rules
                if (deadline := rule.deadline(d, rulebook, calendar)) is not None
            }
            # None exactly when nothing falls due, whatever the calendar and the version.
            assert (bound is None) == (not dues), (d.state, rulebooks.versions)
            if bound is None:
                continue
            assert all(bound <= due for _, due in dues), (d, bound, sorted(dues))
            # And no lower than it must be: a calendar in which every day is worked reaches it.
            assert bound == min(due for calendar, due in dues if calendar is ALL_WORKING)


def test_a_publicity_across_national_day_is_indexed_by_its_soonest_end(rt, demo):
    in_publicity = [e for e in _all_dossiers(rt) if e.dossier.state == "publicity"]
    assert in_publicity
    for entry in in_publicity:
        started = entry.dossier.publicity_started_on
        real = rt.env.calendar.working_days_from(started, 5).last_day
        assert entry.next_due == started + timedelta(days=4) < real
