"""The admin's lists (workflow.usecases.directory) and the committee's publicity desk
(workflow.usecases.publicity_desk): scoped, and for their roles only."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import dossier_in, record
from workflow.domain.calendar import YearTable
from workflow.domain.errors import Forbidden
from workflow.usecases import access, calendars, directory, publicity_desk, services

TODAY = date(2025, 6, 2)


def actor(rt, org, who: str):
    return services.authenticate(uow=rt.uow, token=org.tokens[who])


def test_the_tree_users_and_registry_of_the_admin(client, rt, org):
    admin = actor(rt, org, "admin")
    found = directory.admin_organizations(uow=rt.uow, actor=admin)
    roots = directory.tree(found)
    assert [r.organization.name for r in roots] == ["党委", "另一党委"]
    assert [c.organization.name for c in roots[0].children] == ["一支部", "二支部"]
    assert [c.organization.name for c in roots[1].children] == ["外支部"]

    names = {u.name: u for u in access.list_users(uow=rt.uow, actor=admin)}
    assert {"root", "branch", "committee", "auditor", "far_branch"} <= set(names)
    assert names["branch"].organization_name == "一支部" and names["root"].role == "admin"

    members, total = directory.registry(uow=rt.uow, actor=admin, q="党员", per_page=2)
    assert total == 5 and [m.name for m in members] == ["党员0", "党员1"]
    assert members[0].branch_name == "一支部" and members[0].status == "full"
    members, total = directory.registry(uow=rt.uow, actor=admin, q="党员", page=2, per_page=2)
    assert [m.name for m in members] == ["党员2", "党员3"]


def test_the_admins_lists_are_for_admins(rt, org):
    for who in ("branch", "committee", "auditor"):
        for listing in (directory.admin_organizations, access.list_users, directory.registry):
            with pytest.raises(Forbidden):
                listing(uow=rt.uow, actor=actor(rt, org, who))


def test_the_publicity_desk(client, rt, org, clock):
    clock.set_today(TODAY)
    running = dossier_in(client, rt, org, "publicity", finished_by=TODAY)
    over = dossier_in(client, rt, org, "publicity", finished_by=date(2025, 5, 1))
    raised = record(client, org, running["id"], "objection", TODAY, "branch", summary="反映问题")
    assert raised.status_code == 201
    other = record(client, org, over["id"], "objection", TODAY, "branch", summary="另一问题")
    assert record(client, org, over["id"], "objection_resolution", TODAY, "committee",
                  objection_id=other.json["id"], upheld=False,
                  summary="经核查不属实").status_code == 201

    desk = publicity_desk.desk(uow=rt.uow, env=rt.env, actor=actor(rt, org, "committee"))
    assert [p.dossier_id for p in desk.in_progress] == [running["id"]]
    assert [p.dossier_id for p in desk.elapsed] == [over["id"]]
    now = desk.in_progress[0]
    assert now.committee_id == org.committee and now.working_days_left > 0
    assert [o.status for o in now.objections] == ["pending"] and now.pending == 1
    assert [o.status for o in desk.elapsed[0].objections] == ["dismissed"]
    # The committee has no objection contact yet: the desk warns.
    assert [c.id for c in desk.missing_contacts] == [org.committee]
    assert client.patch(f"/api/v1/organizations/{org.committee}",
                        json={"objection_phone": "010-12345678"},
                        headers=org.headers("admin")).status_code == 200
    desk = publicity_desk.desk(uow=rt.uow, env=rt.env, actor=actor(rt, org, "committee"))
    assert desk.missing_contacts == []

    far = publicity_desk.desk(uow=rt.uow, env=rt.env, actor=actor(rt, org, "far_committee"))
    assert far.in_progress == [] and far.elapsed == []
    admin = publicity_desk.desk(uow=rt.uow, env=rt.env, actor=actor(rt, org, "admin"))
    assert len(admin.in_progress) == 1 and len(admin.committees) == 2
    for who in ("branch", "auditor"):
        with pytest.raises(Forbidden):
            publicity_desk.desk(uow=rt.uow, env=rt.env, actor=actor(rt, org, who))


def test_holiday_tables_are_loaded_by_an_admin_of_the_whole_tree(client, rt, org):
    table = YearTable(2031, frozenset({date(2031, 1, 1)}), source="通知")
    for who in ("committee", "branch", "auditor"):
        with pytest.raises(Forbidden):
            calendars.load_table_as(uow=rt.uow, env=rt.env, actor=actor(rt, org, who),
                                    table=table)
    made = client.post("/api/v1/users", json={"name": "分管理员", "role": "admin",
                                              "organization_id": org.committee},
                       headers=org.headers("admin"))
    sub_admin = services.authenticate(uow=rt.uow, token=made.json["token"])
    with pytest.raises(Forbidden):
        calendars.load_table_as(uow=rt.uow, env=rt.env, actor=sub_admin, table=table)
    calendars.load_table_as(uow=rt.uow, env=rt.env, actor=actor(rt, org, "admin"), table=table)
    assert not rt.env.calendar.is_working_day(date(2031, 1, 1))
