"""工作台's 可推进 (roster.advanceable): among the dossiers of the scope that have waited longest
since their last step, those whose next step the rules allow today, longest waiting first."""

from __future__ import annotations

from datetime import date

from tests.helpers import create_applicant, walk
from workflow.usecases import roster, services


def test_the_longest_waiting_whose_next_step_is_allowed(client, rt, org, clock):
    first = walk(client, rt, org, clock, applied_on=date(2023, 3, 1), target="publicity",
                 today=date(2026, 11, 30))
    second = walk(client, rt, org, clock, applied_on=date(2023, 5, 1), target="publicity",
                  today=date(2026, 11, 30))
    # Has waited longest of all, but its next step (designation as activist) is not allowed.
    waiting = create_applicant(client, org, applied_on=date(2021, 1, 4))
    committee = services.authenticate(uow=rt.uow, token=org.tokens["committee"])

    def ready(actor, look_at: int = 50) -> list[int]:
        return [r.item["id"] for r in roster.advanceable(uow=rt.uow, env=rt.env, actor=actor,
                                                         look_at=look_at)]

    assert ready(committee) == [first["id"], second["id"]]
    # Only the `look_at` longest waiting are judged: the applicant alone, nothing allowed.
    assert ready(committee, look_at=1) == []
    assert ready(committee, look_at=2) == [first["id"]]
    # Scoped like every read: the other committee sees none of them, a branch its own.
    far = services.authenticate(uow=rt.uow, token=org.tokens["far_committee"])
    assert ready(far) == []
    other = services.authenticate(uow=rt.uow, token=org.tokens["other_branch"])
    assert ready(other) == []
    assert waiting["id"] not in ready(committee)
