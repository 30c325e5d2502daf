"""The busiest answers are written straight from the presenters (`api.base.answer`), not
dumped through their response schemas: the schemas must still describe them exactly, or the
OpenAPI document would lie. Each answer is loaded by its schema (unknown keys and wrong types
are errors), every documented key is present, and dumping it back gives the same JSON."""

from __future__ import annotations

import json

import pytest
from marshmallow import Schema

from api.applicants.schemas import (
    AuditEntryOut,
    DossierOut,
    LogOut,
    NextStep,
    PublicityOut,
    Reason,
    RecordCreated,
)
from tests.helpers import dossier_in, fire
from workflow.usecases.privacy import PRIVATE_FIELDS

STATES = ("applicant", "activist", "publicity", "approval", "probationary",
          "conversion_publicity", "full_member")


def _documented_exactly(schema: Schema, body: dict, hidden: tuple[str, ...] = ()) -> None:
    """`hidden`: documented keys withheld from this caller."""
    assert list(body) and set(body) == set(schema.fields) - set(hidden), (
        set(body) ^ set(schema.fields))
    loaded = schema.load(body)
    assert json.loads(json.dumps(schema.dump(loaded))) == body


def _dossier_documented_exactly(body: dict, who: str = "branch") -> None:
    _documented_exactly(DossierOut(), body, PRIVATE_FIELDS if who == "admin" else ())
    for step in body["next"]:
        assert set(step) == set(NextStep().fields)
        for reason in step["reasons"]:
            assert set(reason) == set(Reason().fields)
    if body["publicity"] is not None:
        assert set(body["publicity"]) == set(PublicityOut().fields)


@pytest.mark.parametrize("who", ["branch", "committee", "admin"])
def test_dossier_answers_are_what_the_schema_documents(client, rt, org, who):
    for state in STATES:
        walked = dossier_in(client, rt, org, state)
        body = client.get(f"/api/v1/applicants/{walked['id']}", headers=org.headers(who)).json
        _dossier_documented_exactly(body, who)
        if state == "publicity":
            assert body["publicity"] is not None


def test_answers_to_acts_are_what_the_schemas_document(client, rt, org):
    walked = dossier_in(client, rt, org, "applicant")
    recorded = client.post(f"/api/v1/applicants/{walked['id']}/records",
                           json={"type": "talk", "date": rt.env.today().isoformat(),
                                 "by": "王书记"}, headers=org.headers("branch"))
    assert recorded.status_code == 201
    _documented_exactly(RecordCreated(), recorded.json)
    fired = fire(client, org, walked["id"], "withdraw", rt.env.today(), "branch",
                 reason="本人申请")
    assert fired.status_code == 200
    _dossier_documented_exactly(fired.json)
    log = client.get(f"/api/v1/applicants/{walked['id']}/log", headers=org.headers("auditor"))
    _documented_exactly(LogOut(), log.json)
    for entry in log.json["entries"]:
        assert set(entry) == set(AuditEntryOut().fields)
    assert [e["action"] for e in log.json["entries"]][-2:] == ["talk", "withdraw"]
