"""The committee's work queues (workflow.usecases.queue): scoped, judged by the guards' rules."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import actors, create_applicant, dossier_in, record
from workflow.domain.errors import Forbidden, NotFound
from workflow.usecases import queue, services
from workflow.usecases.demo import applied_on_for, execute, plan

TODAY = date(2025, 6, 2)


def actor(rt, org, who: str):
    return services.authenticate(uow=rt.uow, token=org.tokens[who])


def queues(rt, org, who: str = "committee") -> dict[str, queue.Queue]:
    found = queue.queues(uow=rt.uow, env=rt.env, actor=actor(rt, org, who))
    return {q.definition.key: q for q in found}


def just_arrived(client, rt, org, target: str) -> dict:
    """A dossier whose last act is the trigger that brought it to `target` (`dossier_in`
    also makes the records that follow it, such as the committee's filing)."""
    env, finished_by = rt.env, TODAY
    applied = applied_on_for(target=target, finished_by=finished_by,
                             rulebook=env.rulebook_on(finished_by), calendar=env.calendar)
    dossier = create_applicant(client, org, applied_on=applied)
    acts = plan(applied_on=applied, target=target, rulebook=env.rulebook_on(finished_by),
                calendar=env.calendar, contacts=org.full_members[:1],
                sponsors=org.full_members[1:3])
    last = max(i for i, a in enumerate(acts) if a.trigger)
    execute(uow=rt.uow, env=env, dossier_id=dossier["id"], acts=acts[:last + 1],
            actors=actors(rt, org))
    return dossier


def ids(q: queue.Queue) -> list[int]:
    return [i.dossier_id for i in q.items]


def test_the_queues_come_from_the_procedure(rt):
    keys = [d.key for d in queue.definitions(rt.env.procedure)]
    assert keys[0] == "filing"
    for trigger in ("complete_training", "pass_political_review", "start_publicity",
                    "close_publicity", "approve", "approve_conversion"):
        assert trigger in keys
    # Steps a branch may take too are no committee queue.
    assert "reject" not in keys and "return_to_activist" not in keys
    filing = queue.definitions(rt.env.procedure)[0]
    assert filing.label_zh == "报上级党委备案" and "activist" in filing.states


def test_each_dossier_waits_in_its_queue_judged_by_the_rules(client, rt, org, clock):
    clock.set_today(TODAY)
    activist = just_arrived(client, rt, org, "activist")
    training = dossier_in(client, rt, org, "training")
    approval = just_arrived(client, rt, org, "approval")
    publicity = dossier_in(client, rt, org, "publicity", finished_by=TODAY)
    found = queues(rt, org)
    assert ids(found["filing"]) == [activist["id"]]
    assert ids(found["complete_training"]) == [training["id"]]
    assert ids(found["approve"]) == [approval["id"]]
    assert ids(found["close_publicity"]) == [publicity["id"]]

    # Not yet talked to: the approval waits, and says why in Chinese, with its deadline.
    waiting = found["approve"].items[0]
    assert not waiting.allowed and [f.rule for f in waiting.failures] == ["approval_talk"]
    assert waiting.due is not None and waiting.days_left == (waiting.due - TODAY).days
    # The publicity started today: it can close only after its fifth working day.
    closing = found["close_publicity"].items[0]
    assert not closing.allowed
    elapsed = next(f for f in closing.failures if f.rule == "publicity_elapsed")
    assert elapsed.earliest_date is not None and elapsed.earliest_date > TODAY
    assert found["complete_training"].waiting == 1 and found["approve"].waiting == 0

    # The filing recorded, the activist leaves the filing queue.
    assert record(client, org, activist["id"], "filing", TODAY, "committee",
                  stage="activist").status_code == 201
    assert record(client, org, approval["id"], "approval_talk", TODAY, "committee",
                  by="组织员").status_code == 201
    found = queues(rt, org)
    assert found["approve"].items[0].allowed and found["approve"].waiting == 1
    # Every filing the branch's next step waits for: the development target's too.
    waiting = {f.rule for item in found["filing"].items for f in item.failures}
    assert waiting == {"candidate_filed"}
    assert record(client, org, activist["id"], "filing", TODAY, "committee",
                  stage="candidate").status_code == 201
    assert ids(queues(rt, org)["filing"]) == []


def test_queues_are_scoped_and_for_committees_only(client, rt, org, clock):
    clock.set_today(TODAY)
    training = dossier_in(client, rt, org, "training")
    assert ids(queues(rt, org, "far_committee")["complete_training"]) == []
    for who in ("branch", "auditor", "admin"):
        with pytest.raises(Forbidden):
            queues(rt, org, who)
    assert ids(queues(rt, org)["complete_training"]) == [training["id"]]


def test_neighbours_within_a_queue(client, rt, org, clock):
    clock.set_today(TODAY)
    first, second, third = (dossier_in(client, rt, org, "training")["id"] for _ in range(3))
    other = dossier_in(client, rt, org, "political_review")["id"]

    def around(key: str, dossier_id: int):
        return queue.neighbours(uow=rt.uow, env=rt.env, actor=actor(rt, org, "committee"),
                                key=key, dossier_id=dossier_id)

    assert around("complete_training", first) == (None, second)
    assert around("complete_training", second) == (first, third)
    assert around("complete_training", third) == (second, None)
    # One that is not (or no longer) in the queue: its neighbours by id.
    assert around("complete_training", other) == (third, None)
    assert around("complete_training", 0) == (None, first)
    with pytest.raises(NotFound):
        around("no_such_queue", first)
