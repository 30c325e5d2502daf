"""The bulk generator writes the histories the service would have written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bench.generate import generate, plan, replay
from tests.helpers import dossier_in
from workflow.domain.roles import Role
from workflow.store.tables import audit_entries, dossiers
from workflow.usecases import agenda, services


@pytest.mark.parametrize("target", ["activist", "approval", "probationary", "full_member"])
def test_a_template_is_the_history_the_service_writes(client, rt, org, target):
    walked = dossier_in(client, rt, org, target)
    env = rt.env
    applied = date.fromisoformat(walked["applied_on"])
    rulebook = env.rulebook_on(applied)
    acts = plan(applied_on=applied, target=target, rulebook=rulebook, calendar=env.calendar,
                contacts=[0], sponsors=[1, 2])
    template = replay(env, applied, acts, target)

    log = client.get(f"/api/v1/applicants/{walked['id']}/log",
                     headers=org.headers("auditor")).json["entries"]
    members = org.full_members[:3]
    expected = [
        (e.seq, e.kind, e.action, e.from_state, e.to_state, e.effective_date.isoformat(),
         {**e.payload, "member_id": members[e.slot]} if e.slot is not None else e.payload,
         e.role.value)
        for e in template.entries
    ]
    actual = [
        (e["seq"], e["kind"], e["action"], e["from_state"], e["to_state"],
         e["effective_date"], e["payload"] if e["kind"] != "create" else {}, e["actor_role"])
        for e in log
    ]
    assert actual == expected
    assert template.facts["version"] == walked["version"] == len(log)
    assert template.facts["state"] == walked["state"]
    assert {k: (v.isoformat() if isinstance(v, date) else v)
            for k, v in template.facts.items() if k.endswith("_on")} == {
        k: v for k, v in walked["dates"].items() if k != "applied_on"}
    # The admission date and the agenda's deadline bound, as the service wrote them.
    assert (template.facts["admitted_on"] is None) == (target in ("activist", "approval"))
    with rt.engine.connect() as connection:
        stored = connection.execute(select(dossiers.c.next_due, dossiers.c.admitted_on)
                                    .where(dossiers.c.id == walked["id"])).one()
    assert template.next_due == stored.next_due
    assert template.facts["admitted_on"] == stored.admitted_on
    assert (template.next_due is None) == (target == "full_member")


def test_generated_dossiers_read_back_consistently(rt):
    manifest = generate(rt.engine, rt.env, dossiers_count=400, pool_size=10, seed=5,
                        log=lambda _: None)
    assert manifest.dossiers == 410
    with rt.engine.connect() as connection:
        versions = dict(connection.execute(select(dossiers.c.id, dossiers.c.version)).all())
        seqs: dict[int, list[int]] = {}
        for dossier_id, seq in connection.execute(
                select(audit_entries.c.dossier_id, audit_entries.c.seq)
                .order_by(audit_entries.c.dossier_id, audit_entries.c.seq)):
            seqs.setdefault(dossier_id, []).append(seq)
    assert len(versions) == 410 and sum(map(len, seqs.values())) == manifest.entries
    assert all(seqs[i] == list(range(1, v + 1)) for i, v in versions.items())

    # The deadline index is usable at once, and a rebuild finds nothing to change.
    assert agenda.index_is_current(uow=rt.uow, env=rt.env)
    assert agenda.reindex(uow=rt.uow, env=rt.env).changed == 0

    committee = services.authenticate(uow=rt.uow, token=manifest.tokens["committee"])
    assert committee.role == Role.COMMITTEE
    pool = services.get_dossier(uow=rt.uow, env=rt.env, actor=committee, dossier_id=1)
    designate = next(s for s in pool.steps if s.transition.trigger == "designate_candidate")
    assert pool.dossier.state == "activist" and designate.allowed, designate.failures
    # Every generated dossier loads, and its state offers the triggers of that state.
    for dossier_id in range(1, 411, 37):
        view = services.get_dossier(uow=rt.uow, env=rt.env, actor=committee,
                                    dossier_id=dossier_id)
        assert view.dossier.version == versions[dossier_id]
        assert [s.transition.trigger for s in view.steps] == [
            t.trigger for t in rt.env.procedure.transitions_from(view.dossier.state)]


def test_a_generated_log_verifies_as_intact(rt):
    from workflow.usecases.auditing.services import verify

    manifest = generate(rt.engine, rt.env, dossiers_count=200, pool_size=5, seed=7,
                        log=lambda _: None)
    _, token = services.create_admin(uow=rt.uow, env=rt.env, name="审计管理员")
    admin = services.authenticate(uow=rt.uow, token=token)
    result = verify(uow=rt.uow, env=rt.env, actor=admin)
    assert result.ok, result.problems[:3]
    assert result.entries == manifest.entries and result.dossiers == manifest.dossiers
