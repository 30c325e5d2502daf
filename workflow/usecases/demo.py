"""A realistic demo, and the scripted walk through the procedure that builds it.

`plan` lays out, for an application date and a target state, every act a diligent branch and
committee would perform, dated so that each rule holds on its day; `execute` performs them
through the service layer (so demo histories are real histories, audit log included). Tests
use the same walk to bring a dossier to any state.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from workflow.domain.actors import Actor
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dates import add_months
from workflow.domain.environment import Environment
from workflow.domain.roles import Role
from workflow.domain.rulebook import Rulebook
from workflow.store.uow import UnitOfWork

MAIN_LINE = (
    "applicant", "activist", "training", "political_review", "pre_review", "publicity", "vote",
    "approval", "probationary", "conversion_publicity", "conversion_vote",
    "conversion_approval", "full_member",
)

VOTE = {"entitled": 21, "present": 18, "in_favour": 17, "against": 1, "abstained": 0,
        "written": 1}
# A valid meeting that did not pass: a quorum, ten in favour of twenty-one entitled.
FAILED_VOTE = {"entitled": 21, "present": 16, "in_favour": 10, "against": 5, "abstained": 1,
               "written": 0}


@dataclass(frozen=True)
class Act:
    """One step of a walk: a record (`record` set) or a trigger, by the branch or committee."""

    on: date
    by: Role
    trigger: str | None = None
    record: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def plan(*, applied_on: date, target: str, rulebook: Rulebook, calendar: WorkingDayCalendar,
         contacts: Sequence[int], sponsors: Sequence[int]) -> list[Act]:
    """The acts that take a dossier applied on `applied_on` to `target` along the main line."""
    stop = MAIN_LINE.index(target)
    acts: list[Act] = []
    for act in _main_line(applied_on, rulebook, calendar, contacts, sponsors):
        if act.trigger and MAIN_LINE.index(_dest(act.trigger)) > stop:
            break
        acts.append(act)
    return acts


def _dest(trigger: str) -> str:
    return {
        "designate_activist": "activist", "designate_candidate": "training",
        "complete_training": "political_review", "pass_political_review": "pre_review",
        "start_publicity": "publicity", "close_publicity": "vote", "hold_vote": "approval",
        "approve": "probationary", "start_conversion_publicity": "conversion_publicity",
        "close_conversion_publicity": "conversion_vote",
        "hold_conversion_vote": "conversion_approval", "approve_conversion": "full_member",
    }[trigger]


def _main_line(a: date, rb: Rulebook, cal: WorkingDayCalendar, contacts: Sequence[int],
               sponsors: Sequence[int]) -> Iterator[Act]:
    day = timedelta(days=1)
    branch, committee = Role.BRANCH, Role.COMMITTEE
    yield Act(a + 7 * day, branch, record="talk", data={"by": "支部书记"})
    yield Act(a + 10 * day, branch, record="recommendation", data={"method": "party_members"})
    for member_id in contacts:
        yield Act(a + 10 * day, branch, record="contact", data={"member_id": member_id})
    activist = a + 30 * day
    yield Act(activist, branch, trigger="designate_activist")
    yield Act(activist + 5 * day, committee, record="filing", data={"stage": "activist"})
    candidate = add_months(activist, rb.cultivation_months)
    evaluation = add_months(activist, rb.evaluation_interval_months) - 5 * day
    while evaluation < candidate:
        yield Act(evaluation, branch, record="evaluation", data={"summary": "表现良好"})
        evaluation = add_months(evaluation, rb.evaluation_interval_months)
    for member_id in sponsors:
        yield Act(candidate - 10 * day, branch, record="sponsor", data={"member_id": member_id})
    yield Act(candidate - 5 * day, committee, record="filing", data={"stage": "candidate"})
    yield Act(candidate, branch, trigger="designate_candidate")
    trained = candidate + 14 * day
    yield Act(trained, committee, trigger="complete_training",
              data={"hours": rb.training_hours_min, "days": rb.training_days_min,
                    "passed": True})
    reviewed = trained + 30 * day
    yield Act(reviewed, committee, trigger="pass_political_review",
              data={"conclusion": "政治审查合格"})
    yield Act(reviewed + 5 * day, branch, record="branch_review", data={"summary": "同意"})
    publicity = reviewed + 10 * day
    yield Act(publicity, committee, trigger="start_publicity")
    closed = cal.working_days_from(publicity, rb.publicity_working_days).last_day + day
    yield Act(closed, committee, trigger="close_publicity")
    yield Act(closed, committee, record="volunteer_form")
    voted = closed + 7 * day
    yield Act(voted, branch, trigger="hold_vote", data=dict(VOTE))
    yield Act(voted + 10 * day, committee, record="approval_talk", data={"by": "组织员"})
    approved = voted + 30 * day
    yield Act(approved, committee, trigger="approve")
    yield Act(approved + 7 * day, branch, record="oath")
    end = add_months(voted, rb.probation_months)
    yield Act(end - 14 * day, branch, record="conversion_application")
    yield Act(end - 7 * day, branch, record="branch_review", data={"summary": "同意转正"})
    yield Act(end, committee, trigger="start_conversion_publicity")
    closed = cal.working_days_from(end, rb.publicity_working_days).last_day + day
    yield Act(closed, committee, trigger="close_conversion_publicity")
    converted = closed + 5 * day
    yield Act(converted, branch, trigger="hold_conversion_vote", data=dict(VOTE))
    yield Act(converted + 20 * day, committee, trigger="approve_conversion")


def execute(*, uow: UnitOfWork, env: Environment, dossier_id: int, acts: Sequence[Act],
            actors: dict[Role, Actor]) -> None:
    from workflow.usecases import services

    for act in acts:
        actor = actors[act.by]
        if act.record:
            services.add_record(uow=uow, env=env, actor=actor, dossier_id=dossier_id,
                                record_type=act.record, on=act.on, data=act.data)
        else:
            services.fire(uow=uow, env=env, actor=actor, dossier_id=dossier_id,
                          trigger=act.trigger, on=act.on, payload=act.data)


def applied_on_for(*, target: str, finished_by: date, rulebook: Rulebook,
                   calendar: WorkingDayCalendar) -> date:
    """An application date whose walk to `target` ends on or before `finished_by`."""
    probe = date(2000, 1, 1)
    acts = plan(applied_on=probe, target=target, rulebook=rulebook, calendar=calendar,
                contacts=[0], sponsors=[0, 0])
    # Working days vary a little with the dates; leave a margin for it.
    applied = finished_by - (acts[-1].on - probe) - timedelta(days=14)

    def ends_by(applied: date) -> bool:
        acts = plan(applied_on=applied, target=target, rulebook=rulebook, calendar=calendar,
                    contacts=[0], sponsors=[0, 0])
        return max(a.on for a in acts) <= finished_by

    while not ends_by(applied):
        applied -= timedelta(days=7)
    # Then forward day by day, so that the walk ends close to `finished_by` (a publicity the
    # demo opened two days ago is still in progress).
    while ends_by(applied + timedelta(days=1)):
        applied += timedelta(days=1)
    return applied


# The demo

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "雪梅", "海燕", "志强",
         "丹", "鑫", "浩然", "子涵", "欣怡", "梓轩", "思远", "雨桐"]
ETHNICITIES = ["汉族"] * 8 + ["回族", "壮族", "蒙古族", "满族"]
EDUCATIONS = ["大学本科", "大学本科", "研究生", "大专", "高中", "中专"]
OCCUPATIONS = ["工人", "教师", "技术人员", "农民", "医生", "企业管理人员", "学生", "个体经营者"]

# Dossiers per state: every state appears, the main line more often.
DEMO_TARGETS = {
    "applicant": 5, "activist": 8, "training": 3, "political_review": 3, "pre_review": 3,
    "publicity": 4, "vote": 2, "approval": 3, "probationary": 6, "conversion_publicity": 2,
    "conversion_vote": 2, "conversion_approval": 2, "full_member": 5,
}
# Where the public raises objections to the demo committee's publicities.
DEMO_CONTACT = {"objection_phone": "010-6512 3456", "objection_email": "zuzhi@example.cn",
                "objection_address": "示范街道党工委组织办公室（示范路1号）"}
REASON = {"reason": "演示：本人申请"}
# Histories beyond the main line: a dossier walked to a state, then these acts (trigger, who,
# payload), one a day, ending the day before yesterday.
BEYOND = {
    "rejected": ("activist", [("reject", Role.BRANCH, REASON)]),
    "withdrawn": ("applicant", [("withdraw", Role.BRANCH, REASON)]),
    "failed_vote": ("vote", [("record_failed_vote", Role.BRANCH, FAILED_VOTE)]),
    "extended": ("conversion_vote", [
        ("hold_conversion_vote", Role.BRANCH, {**VOTE, "motion": "extend", "months": 6}),
        ("approve_conversion", Role.COMMITTEE, {}),
    ]),
    "disqualified": ("probationary", [
        ("hold_conversion_vote", Role.BRANCH,
         {**VOTE, "motion": "disqualify", "reason": "演示：长期不履行党员义务"}),
        ("approve_conversion", Role.COMMITTEE, {}),
    ]),
}


@dataclass(frozen=True)
class Walked:
    """A demo dossier, its branch, and the branch's members not named on it."""

    dossier_id: int
    branch_id: int
    branch_actor: Actor
    unnamed: list[int]


def _corrections(*, uow: UnitOfWork, env: Environment, committee: Actor,
                 dossiers: dict[str, list[Walked]], branch_ids: list[int]) -> None:
    """A sponsor voided and replaced, and a transfer: corrections are history too."""
    from workflow.usecases import services

    today = env.today()
    # An activist's sponsor turns out unable to stand: voided, and another one recorded.
    first = dossiers["activist"][0]
    view = services.get_dossier(uow=uow, env=env, actor=first.branch_actor,
                                dossier_id=first.dossier_id)
    sponsor = next(r for r in view.dossier.records if r.type == "sponsor")
    services.void_record(uow=uow, env=env, actor=first.branch_actor,
                         dossier_id=first.dossier_id, record_id=sponsor.id,
                         reason="演示：介绍人调离本单位，另行确定")
    services.add_record(uow=uow, env=env, actor=first.branch_actor,
                        dossier_id=first.dossier_id, record_type="sponsor", on=today,
                        data={"member_id": first.unnamed[0]})
    # Another activist moves with its work to another branch (Art. 12).
    second = dossiers["activist"][1]
    services.transfer(uow=uow, env=env, actor=committee, dossier_id=second.dossier_id,
                      branch_id=next(b for b in branch_ids if b != second.branch_id),
                      reason="演示：工作调动", on=today)


def load_demo(*, uow: UnitOfWork, env: Environment, seed: int = 2026) -> list[str]:
    """One committee, three branches, a registry, and ~50 dossiers in every state."""
    from workflow.usecases import accounts, publicity, services

    rng = random.Random(seed)
    today = env.today()
    rulebook, calendar = env.rulebook_on(today), env.calendar

    def name() -> str:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)

    # Every demo user signs in to the web interface too, with a password made for this run.
    suffix = _login_suffix(uow)
    passwords: dict[str, str] = {}

    def sign_in_as(who: str) -> dict[str, str]:
        passwords[who] = accounts.generate_password()
        return {"login": who + suffix, "password": passwords[who]}

    _, admin_token = services.create_admin(uow=uow, env=env, name="演示管理员",
                                           **sign_in_as("admin"))
    admin = services.authenticate(uow=uow, token=admin_token)
    committee = services.create_organization(uow=uow, env=env, actor=admin,
                                             name="示范街道党工委", kind="committee",
                                             parent_id=None)
    publicity.set_objection_contact(uow=uow, actor=admin, organization_id=committee.id,
                                    values=DEMO_CONTACT)
    tokens = {"admin": admin_token}
    _, token = services.create_user(uow=uow, env=env, actor=admin, name="组织委员",
                                    role=Role.COMMITTEE, organization_id=committee.id,
                                    **sign_in_as("committee"))
    tokens["committee"] = token
    committee_actor = services.authenticate(uow=uow, token=token)
    _, tokens["auditor"] = services.create_user(uow=uow, env=env, actor=admin, name="纪检审计",
                                                role=Role.AUDITOR, organization_id=committee.id,
                                                **sign_in_as("auditor"))
    branches = []
    for index, branch_name in enumerate(["第一党支部", "第二党支部", "机关党支部"], start=1):
        branch = services.create_organization(uow=uow, env=env, actor=admin, name=branch_name,
                                              kind="branch", parent_id=committee.id)
        _, token = services.create_user(uow=uow, env=env, actor=admin,
                                        name=f"{branch_name}书记", role=Role.BRANCH,
                                        organization_id=branch.id,
                                        **sign_in_as(f"branch{index}"))
        tokens[f"branch{index}"] = token
        members = [
            services.create_member(uow=uow, env=env, actor=admin, name=name(),
                                   branch_id=branch.id, status="full",
                                   joined_on=today - timedelta(days=rng.randint(3000, 12000)))
            for _ in range(6)
        ]
        branches.append((branch, services.authenticate(uow=uow, token=token), members))

    targets = [t for t, n in DEMO_TARGETS.items() for _ in range(n)]
    targets += list(BEYOND)
    created = 0
    dossiers: dict[str, list[Walked]] = {}
    actors = {Role.COMMITTEE: committee_actor}
    for index, target in enumerate(targets):
        branch, branch_actor, members = branches[index % len(branches)]
        actors[Role.BRANCH] = branch_actor
        walk_to, beyond = BEYOND.get(target, (target, []))
        # In-progress dossiers acted on in the last weeks; a publicity opened a few days ago.
        finished_by = today - timedelta(days=2 if "publicity" in target else rng.randint(3, 40))
        finished_by -= timedelta(days=len(beyond) + 1)
        applied = applied_on_for(target=walk_to, finished_by=finished_by, rulebook=rulebook,
                                 calendar=calendar)
        birth = add_months(applied, -12 * rng.randint(19, 45) - rng.randint(0, 11))
        view = services.create_dossier(uow=uow, env=env, actor=branch_actor, profile={
            "branch_id": branch.id, "name": name(), "gender": rng.choice(["male", "female"]),
            "birth_date": birth, "applied_on": applied,
            "ethnicity": rng.choice(ETHNICITIES), "education": rng.choice(EDUCATIONS),
            "occupation": rng.choice(OCCUPATIONS), "frontline": rng.random() < 0.4,
            "id_number": f"1101{rng.randint(10**13, 10**14 - 1)}",
            "phone": f"13{rng.randint(100000000, 999999999)}",
        })
        picked = rng.sample(members, 3)
        acts = plan(applied_on=applied, target=walk_to, rulebook=rulebook, calendar=calendar,
                    contacts=picked[:1], sponsors=picked[1:])
        execute(uow=uow, env=env, dossier_id=view.dossier.id, acts=acts, actors=actors)
        for step, (trigger, role, payload) in enumerate(beyond):
            on = today - timedelta(days=len(beyond) + 1 - step)
            services.fire(uow=uow, env=env, actor=actors[role], dossier_id=view.dossier.id,
                          trigger=trigger, on=on, payload=payload)
        dossiers.setdefault(target, []).append(Walked(
            view.dossier.id, branch.id, branch_actor, [m for m in members if m not in picked]))
        created += 1
    _corrections(uow=uow, env=env, committee=committee_actor, dossiers=dossiers,
                 branch_ids=[branch.id for branch, _, _ in branches])

    lines = [f"Demo loaded: 1 committee, {len(branches)} branches, {len(branches) * 6} members, "
             f"{created} dossiers in {len(set(targets))} states."]
    for who, token in tokens.items():
        lines += [f"  token {who}: {token}", f"  login {who}: {who}{suffix} {passwords[who]}"]
    return lines


def _login_suffix(uow: UnitOfWork) -> str:
    """Nothing for the first demo in a database; "-2", "-3"… for the next ones."""
    with uow.transaction() as tx:
        taken = 1
        while tx.repo.login_taken("admin" + ("" if taken == 1 else f"-{taken}")):
            taken += 1
    return "" if taken == 1 else f"-{taken}"
