"""Shortcuts for tests: create a dossier over HTTP, bring it to a state through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from workflow.domain.roles import Role
from workflow.usecases import services
from workflow.usecases.demo import applied_on_for, execute, plan


def create_applicant(client, org, *, applied_on: date | None = None, who: str = "branch",
                     **fields: Any) -> dict:
    body = {
        "branch_id": org.branch, "name": "李明", "gender": "female",
        "birth_date": "1998-05-04",
        "applied_on": (applied_on or date.today() - timedelta(days=400)).isoformat(),
        "id_number": "11010119980504002X", "phone": "13800138000",
        **fields,
    }
    response = client.post("/api/v1/applicants", json=body, headers=org.headers(who))
    assert response.status_code == 201, response.json
    return response.json


def actors(rt, org, branch: str = "branch") -> dict[Role, Any]:
    return {
        Role.BRANCH: services.authenticate(uow=rt.uow, token=org.tokens[branch]),
        Role.COMMITTEE: services.authenticate(uow=rt.uow, token=org.tokens["committee"]),
    }


def dossier_in(client, rt, org, target: str, *, finished_by: date | None = None,
               upto_trigger: bool = True, **profile: Any) -> dict:
    """A dossier walked along the main line to `target`, its last act on or before
    `finished_by` (default: yesterday); `profile` fields go to its creation. Returns the
    dossier as the API shows it."""
    env = rt.env
    finished_by = finished_by or env.today() - timedelta(days=1)
    rulebook = env.rulebook_on(finished_by)
    applied = applied_on_for(target=target, finished_by=finished_by, rulebook=rulebook,
                             calendar=env.calendar)
    dossier = create_applicant(client, org, applied_on=applied, **profile)
    acts = plan(applied_on=applied, target=target, rulebook=rulebook, calendar=env.calendar,
                contacts=org.full_members[:1], sponsors=org.full_members[1:3])
    who = profile.get("who", "branch")
    execute(uow=rt.uow, env=env, dossier_id=dossier["id"], acts=acts,
            actors=actors(rt, org, who))
    response = client.get(f"/api/v1/applicants/{dossier['id']}", headers=org.headers(who))
    assert response.json["state"] == target
    return response.json


def fire(client, org, dossier_id: int, trigger: str, on: date | str, who: str, **payload):
    on = on.isoformat() if isinstance(on, date) else on
    return client.post(f"/api/v1/applicants/{dossier_id}/transitions",
                       json={"trigger": trigger, "effective_date": on, **payload},
                       headers=org.headers(who))


def record(client, org, dossier_id: int, kind: str, on: date | str, who: str, **data):
    on = on.isoformat() if isinstance(on, date) else on
    return client.post(f"/api/v1/applicants/{dossier_id}/records",
                       json={"type": kind, "date": on, **data}, headers=org.headers(who))


def walk(client, rt, org, clock, *, applied_on: date, target: str, today: date) -> dict:
    """A dossier walked to `target` with the service's clock standing on `today`."""
    clock.set_today(today)
    dossier = create_applicant(client, org, applied_on=applied_on)
    acts = plan(applied_on=applied_on, target=target, rulebook=rt.env.rulebook_on(today),
                calendar=rt.env.calendar, contacts=org.full_members[:1],
                sponsors=org.full_members[1:3])
    execute(uow=rt.uow, env=rt.env, dossier_id=dossier["id"], acts=acts, actors=actors(rt, org))
    return client.get(f"/api/v1/applicants/{dossier['id']}", headers=org.headers("branch")).json
