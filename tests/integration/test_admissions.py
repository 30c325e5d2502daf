"""Statistics find admissions on the dossiers (`admitted_on`), as the log records them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.integration.conftest import TODAY
from workflow.store.reports import Reports
from workflow.store.tables import audit_entries, dossiers


def test_admissions_are_those_the_log_records(rt, demo):
    """Statistics read `admitted_on`; the log's `approve` entries say the same, period by
    period (the query the statistics used to run)."""
    periods = [(date(2000, 1, 1), TODAY), (date(2025, 1, 1), TODAY),
               (date(2024, 1, 1), date(2024, 12, 31))]
    periods += [(date(2024, m, 1), date(2024, m + 2, 28)) for m in range(1, 10, 3)]
    nonempty = 0
    for start, end in periods:
        with rt.uow.transaction() as tx:
            connection = tx.repo.connection
            from_dossiers = [(r.id, r.admitted_on) for r in Reports(connection).admitted(
                scope_path="/", start=start, end=end)]
            from_log = connection.execute(
                select(audit_entries.c.dossier_id, audit_entries.c.effective_date)
                .where(audit_entries.c.kind == "transition", audit_entries.c.action == "approve",
                       audit_entries.c.effective_date.between(start, end))
                .order_by(audit_entries.c.effective_date, audit_entries.c.dossier_id)
            ).all()
        assert from_dossiers == [tuple(r) for r in from_log], (start, end)
        nonempty += bool(from_dossiers)
    assert nonempty >= 3
    with rt.engine.connect() as connection:
        states = dict(connection.execute(
            select(dossiers.c.state, dossiers.c.admitted_on)
            .where(dossiers.c.admitted_on.is_not(None))).all())
    # Admitted ones keep the date through probation, conversion and the ways out of it.
    assert {"probationary", "full_member", "disqualified"} <= set(states)
