"""A request's write held until its idempotency answer joins it (workflow.store.uow): what
the request runs afterwards reads its own writes and commits with them, or not at all."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.helpers import create_applicant
from workflow.store.tables import audit_entries, organizations
from workflow.store.uow import holding_commit
from workflow.usecases import services


def _count(rt, table) -> int:
    with rt.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _add(rt, name: str) -> None:
    with rt.uow.transaction(write=True) as tx:
        tx.repo.add_organization(name=name, kind="committee", parent=None, now=rt.env.now())
        tx.commit()


@pytest.mark.parametrize("commit", [True, False])
def test_later_units_of_work_join_the_held_write(rt, commit):
    with holding_commit() as held:
        _add(rt, "甲")
        assert held.transaction is not None and _count(rt, organizations) == 0
        with rt.uow.transaction() as tx:  # the request reads its own write
            assert tx.repo.organization(1) is not None
        _add(rt, "乙")  # joins: no wait on the first one's lock
        with rt.uow.transaction(write=True) as tx:  # a joined block left uncommitted
            tx.repo.add_organization(name="丙", kind="committee", parent=None,
                                     now=rt.env.now())
        if commit:
            held.commit()
    assert _count(rt, organizations) == (2 if commit else 0)


def test_a_change_after_a_held_write_reads_it(client, rt, org):
    did = create_applicant(client, org)["id"]
    actor = services.authenticate(uow=rt.uow, token=org.tokens["branch"])
    with holding_commit() as held:
        services.add_record(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did,
                            record_type="talk", on=date.today(), data={"by": "书记"})
        view = services.add_record(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did,
                                   record_type="talk", on=date.today(), data={"by": "书记"})
        assert view[1].dossier.version == 3
        seen = services.get_dossier(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did)
        assert seen.dossier.version == 3
        held.commit()
    assert _count(rt, audit_entries) == 3
