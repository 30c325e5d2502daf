"""The demo's histories show what revision 2 added: a failed vote, an extension voted and
approved, a disqualification voted during probation, a voided and replaced sponsor, and a
transfer; every chain verifies and no act fails its rules."""

from __future__ import annotations

from sqlalchemy import select

from workflow.store.tables import audit_entries
from workflow.usecases.auditing import services as auditing


def _actions(rt) -> dict[int, list[tuple[str, dict]]]:
    with rt.uow.transaction() as tx:
        rows = tx.repo.connection.execute(
            select(audit_entries.c.dossier_id, audit_entries.c.action, audit_entries.c.payload)
            .order_by(audit_entries.c.dossier_id, audit_entries.c.seq)).all()
    found: dict[int, list[tuple[str, dict]]] = {}
    for dossier_id, action, payload in rows:
        found.setdefault(dossier_id, []).append((action, payload))
    return found


def test_the_demo_histories_include_each_no_and_each_correction(rt, demo):
    histories = _actions(rt)

    def having(*actions: str) -> list[int]:
        return [d for d, acts in histories.items()
                if all(a in [action for action, _ in acts] for a in actions)]

    assert having("record_failed_vote")
    extended = [d for d in having("hold_conversion_vote", "approve_conversion")
                if any(p.get("motion") == "extend" for _, p in histories[d])]
    disqualified = [d for d in having("hold_conversion_vote", "approve_conversion")
                    if any(p.get("motion") == "disqualify" for _, p in histories[d])]
    assert extended and disqualified
    [voided] = having("void")
    voids = [p for a, p in histories[voided] if a == "void"]
    assert [v["type"] for v in voids] == ["sponsor"]
    # The voided sponsor was replaced by another one.
    assert [a for a, _ in histories[voided]].count("sponsor") == 3
    assert len(having("transfer")) == 1

    assert auditing.verify(uow=rt.uow, env=rt.env, actor=demo).problems == []
    failed = [f for f in auditing.compliance(uow=rt.uow, env=rt.env, actor=demo)
              if f.status == "failed"]
    assert failed == []
