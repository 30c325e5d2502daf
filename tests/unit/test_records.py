"""Record validation that depends on the dossier: the resolution of an objection."""

from __future__ import annotations

from datetime import date

from states import PROCEDURE

START = date(2025, 9, 26)


def validate(dossier, record):
    return PROCEDURE.record_type("objection_resolution").validate(dossier, record)


def resolution(make, objection_id, upheld=False):
    return make.record("objection_resolution", date(2025, 9, 30), objection_id=objection_id,
                       upheld=upheld, summary="核查")


def test_a_resolution_of_an_objection_of_this_publicity_is_accepted(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    dossier = make.dossier("publicity", publicity_started_on=START, records=[objection])
    assert validate(dossier, resolution(make, objection.id)) == {}


def test_a_resolution_of_an_unknown_objection_is_refused(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    talk = make.record("talk", date(2023, 9, 1), by="x")
    dossier = make.dossier("publicity", publicity_started_on=START, records=[objection, talk])
    assert "objection_id" in validate(dossier, resolution(make, 999))
    # A record that is not an objection is not an objection.
    assert "objection_id" in validate(dossier, resolution(make, talk.id))


def test_a_resolution_of_an_objection_of_an_earlier_publicity_is_refused(make):
    old = make.record("objection", date(2025, 6, 3), summary="旧")
    dossier = make.dossier("publicity", publicity_started_on=START, records=[old])
    assert "objection_id" in validate(dossier, resolution(make, old.id))


def test_an_objection_is_resolved_once(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    first = resolution(make, objection.id)
    dossier = make.dossier("publicity", publicity_started_on=START, records=[objection, first])
    errors = validate(dossier, resolution(make, objection.id, upheld=True))
    assert "already" in errors["objection_id"]
