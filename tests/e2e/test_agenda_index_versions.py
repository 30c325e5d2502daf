"""The deadline index under rulebook versions: the agenda judges by the version in force
today, the bound holds under each; a configuration with other versions does not trust it."""

from __future__ import annotations

from datetime import date

import pytest

from api import create_app
from tests.e2e.test_agenda_index import both, next_due, rules_of
from tests.helpers import walk
from workflow.domain.dates import add_months
from workflow.usecases import agenda, services

# From 2026 a committee approves within two months of the vote, not three.
VERSION = {"id": "local-2026", "effective_from": "2026-01-01", "title": "省级实施细则 (2026)",
           "approval_months": 2}


@pytest.fixture
def app_config():
    return {"RULEBOOK_VERSIONS": [VERSION]}


def test_the_agenda_across_a_version_switch(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2024, 7, 1), target="approval",
                   today=date(2025, 12, 1))
    voted = date.fromisoformat(dossier["dates"]["voted_on"])
    two, three = add_months(voted, 2), add_months(voted, 3)
    assert two < date(2026, 1, 1) <= three, "the walk must vote between the versions"
    # The bound is the soonest of the versions: the 2026 one's, though not in force yet.
    assert next_due(rt, dossier["id"]) == two
    # 31 December 2025: judged by the 2014 rulebook, approval is due in three months.
    eve = date(2025, 12, 31)
    ahead = (three - eve).days
    assert rules_of(both(rt, org, today=eve, horizon_days=ahead - 1), dossier["id"]) == {}
    assert rules_of(both(rt, org, today=eve, horizon_days=ahead), dossier["id"]) == {
        "approval_deadline": three}
    # 1 January 2026: the new version is in force, and the approval already overdue.
    items = both(rt, org, today=date(2026, 1, 1), horizon_days=0)
    assert rules_of(items, dossier["id"]) == {"approval_deadline": two}
    assert next(i for i in items if i.dossier_id == dossier["id"]).overdue


def test_another_configuration_falls_back_until_reindexed(client, rt, org, clock, app,
                                                          tmp_path):
    dossier = walk(client, rt, org, clock, applied_on=date(2024, 8, 12), target="approval",
                   today=date(2025, 12, 1))
    voted = date.fromisoformat(dossier["dates"]["voted_on"])
    # The deployment's rulebook changes: from 2026 approval within one month.
    shorter = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"],
                          "CLOCK": clock,
                          "RULEBOOK_VERSIONS": [{**VERSION, "approval_months": 1}]},
                         instance_path=str(tmp_path / "other"))
    other = shorter.extensions["recruitflow"]
    try:
        assert not agenda.index_is_current(uow=other.uow, env=other.env)
        committee = services.authenticate(uow=other.uow, token=org.tokens["committee"])
        stored_bound = next_due(rt, dossier["id"])
        assert stored_bound == add_months(voted, 2) > add_months(voted, 1)
        # Judged on a day the stored bound is still ahead of, the index would miss the item:
        # the agenda does not read it, it asks every dossier.
        day = add_months(voted, 1)
        expected = {"approval_deadline": add_months(voted, 1)}
        query = {"today": date(2026, 1, 2), "horizon_days": 0}
        assert day < date(2026, 1, 2) < stored_bound
        found = agenda.agenda(uow=other.uow, env=other.env, actor=committee, **query)
        assert rules_of(found, dossier["id"]) == expected
        done = agenda.reindex(uow=other.uow, env=other.env)
        assert done.changed >= 1 and next_due(rt, dossier["id"]) == day
        assert agenda.index_is_current(uow=other.uow, env=other.env)
        assert not agenda.index_is_current(uow=rt.uow, env=rt.env)
        assert rules_of(agenda.agenda(uow=other.uow, env=other.env, actor=committee, **query),
                        dossier["id"]) == expected
    finally:
        other.engine.dispose()
