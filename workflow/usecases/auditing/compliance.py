"""The compliance report: a dossier's audit log replayed against the rulebook.

Nothing here states a rule. The replay rebuilds the dossier entry by entry, as it stood when
each act was recorded, and asks the procedure's own rules:

- every rule with a `deadline` (the application talk, half-yearly evaluations, approval,
  the end of probation…), before each act and today: is the obligation past due and its
  `check` failing? Such a finding is *late* when a later act discharged it, *missing* when
  nothing did (by today, or before the dossier closed);
- every transition (and the creation) is judged again by its guards on the facts as recorded,
  under the rulebook version and the revision its entry names: *failed* where one would not
  pass (imported or corrected data, or a rule tightened by a later version). Rules a later
  revision introduced do not judge earlier acts, and triggers a later revision retired are
  replayed as what they were;
- a deadline is judged strictly: an act the rulebook lets pass late with a recorded reason
  (an approval with its `late_reason`) is still listed as late;
- corrections replay as they happened: a voided record counts no more from its voiding on
  (acts before it stay as they were judged), a transfer moves the dossier, and a corrected
  birth or application date judges the creation again (`min_age`).

Known limit: registry members (contacts, sponsors) are judged by their status today, which the
registry does not version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from workflow.domain.audit import AuditEntry
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import (
    CORRECTIONS,
    Dossier,
    Member,
    Record,
)
from workflow.domain.machine import engine_for
from workflow.domain.procedure import Procedure
from workflow.domain.rulebook import Rulebook, RulebookSet
from workflow.domain.rules import Facts, Failure, Rule
from workflow.usecases.auditing.replay import apply_correction, apply_transition, rulebook_of

LATE = "late"
MISSING = "missing"
FAILED = "failed"


@dataclass(frozen=True)
class Finding:
    dossier_id: int
    rule: str
    status: str  # LATE, MISSING or FAILED
    # The act concerned (the late one, or the one whose guard fails); None when missing.
    seq: int | None
    on: date  # the act's effective date, or the day the report was made (missing)
    due: date | None
    message_en: str
    message_zh: str
    # Whom and where it concerns (filled in by the report, which reads them once a dossier).
    name: str = ""
    branch_name: str = ""


def unreplayable(dossier_id: int, error: Exception, today: date) -> Finding:
    """The finding for a log that cannot be replayed at all (damaged: verify it)."""
    return Finding(dossier_id, "audit_log", FAILED, None, today, None,
                   f"The dossier's log cannot be replayed ({error}); verify the audit log.",
                   "该档案的审计日志无法重演，请校验审计日志。")


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _rulebook(rulebooks: RulebookSet, entry: AuditEntry) -> Rulebook:
    return rulebook_of(rulebooks, entry.rulebook_id, entry.effective_date)


def replay(entries: Sequence[AuditEntry], *, procedure: Procedure, rulebooks: RulebookSet,
           calendar: WorkingDayCalendar, today: date,
           members: Mapping[int, Member]) -> list[Finding]:
    """Findings for one dossier, from its entries in `seq` order (a create entry first)."""
    first = entries[0]
    dossier_id = first.dossier_id
    profile = first.payload
    dossier = Dossier(
        id=dossier_id, branch_id=profile["branch_id"], state=first.to_state, version=first.seq,
        birth_date=_day(profile["birth_date"]), applied_on=_day(profile["applied_on"]),
        last_effective_on=first.effective_date, members=members,
    )
    rules = procedure.rules()
    with_deadline = [rule for rule in rules.values() if rule.deadline is not None]
    findings: list[Finding] = []
    failed: list[Finding] = []

    def finding(failure: Failure, status: str, seq: int | None, on: date,
                due: date | None = None) -> Finding:
        return Finding(dossier_id, failure.rule, status, seq, on, due, failure.message_en,
                       failure.message_zh)

    def judge_creation() -> None:
        creation = Facts(dossier, dossier.applied_on, _rulebook(rulebooks, first), calendar,
                         revision=first.revision)
        for rule in procedure.creation_rules:
            if (failure := rule.evaluate(creation)) is not None and not any(
                    (f.rule, f.seq) == (rule.id, first.seq) for f in failed):
                failed.append(finding(failure, FAILED, first.seq, dossier.applied_on))

    judge_creation()

    # (rule id, due date) -> the failure when first seen overdue
    overdue: dict[tuple[str, date], Failure] = {}

    def past_due(on: date) -> list[tuple[Rule, date, Failure]]:
        rulebook = rulebooks.in_force_on(on)
        facts = Facts(dossier, on, rulebook, calendar)
        found = []
        for rule in with_deadline:
            deadline = rule.deadline(dossier, rulebook, calendar)
            if deadline is None or on <= deadline.due:
                continue
            if (failure := rule.evaluate(facts, strict=True)) is not None:
                found.append((rule, deadline.due, failure))
        return found

    discharged: set[tuple[str, int]] = set()
    for entry in entries[1:]:
        on = entry.effective_date
        for rule, due, failure in past_due(on):
            overdue.setdefault((rule.id, due), failure)
        if entry.kind == "record" and entry.action in CORRECTIONS:
            if _correct(dossier, entry):
                judge_creation()
        elif entry.kind == "record":
            dossier.records.append(Record(entry.id or 0, entry.action, on, entry.payload))
        guarded: set[str] = set()
        if entry.kind == "transition":
            act = procedure.replayed(entry.action, dossier.state)
            guarded = {rule.id for rule in act.rules} if act else set()
            failed.extend(_apply_transition(dossier, entry, procedure, rulebooks, calendar))
        dossier.version = entry.seq
        rulebook = rulebooks.in_force_on(on)
        final = procedure.state(dossier.state).final
        for (rule_id, due), failure in list(overdue.items()):
            deadline = rules[rule_id].deadline(dossier, rulebook, calendar)
            if deadline is not None and deadline.due == due:
                continue
            # The obligation is gone: discharged late by this act (one the rule guards, such
            # as the approval that ends the procedure), or never, by a closing one.
            closed = final and rule_id not in guarded
            after = rules[rule_id].evaluate(Facts(dossier, on, rulebook, calendar),
                                            strict=True) or failure
            findings.append(finding(after, MISSING if closed else LATE,
                                    None if closed else entry.seq, on, due))
            discharged.add((rule_id, entry.seq))
            del overdue[(rule_id, due)]
    for rule, due, failure in past_due(today):
        overdue.setdefault((rule.id, due), failure)
    for (_, due), failure in overdue.items():
        findings.append(finding(failure, MISSING, None, today, due))
    # A late act is reported once, as late, not again as the guard it failed.
    findings.extend(f for f in failed if (f.rule, f.seq) not in discharged)
    return sorted(findings, key=lambda f: (f.on, f.seq or 0, f.rule))


def _correct(dossier: Dossier, entry: AuditEntry) -> bool:
    """Apply a correction as recorded; True when it changed what the creation is judged on."""
    return apply_correction(dossier, entry.action, entry.payload)


def _apply_transition(dossier: Dossier, entry: AuditEntry, procedure: Procedure,
                      rulebooks: RulebookSet, calendar: WorkingDayCalendar) -> list[Finding]:
    """Judge a recorded transition by its guards, then apply it as recorded (whatever the
    verdict: the log says it happened)."""
    on = entry.effective_date
    transition = procedure.replayed(entry.action, dossier.state)
    if transition is None:
        dossier.state = entry.to_state
        dossier.last_effective_on = on
        return [Finding(dossier.id, "transition", FAILED, entry.seq, on, None,
                        f"{entry.action!r} cannot be fired from {entry.from_state!r}.",
                        f"状态{entry.from_state}下不能执行{entry.action}。")]
    engine = engine_for(procedure, _rulebook(rulebooks, entry))
    facts = Facts(dossier, on, engine.rulebook, calendar, entry.payload, revision=entry.revision)
    findings = [
        Finding(dossier.id, f.rule, FAILED, entry.seq, on, None, f.message_en, f.message_zh)
        for f in engine.explain(transition, facts)
    ]
    # Applied as verification replays it, whatever the verdict.
    apply_transition(dossier, transition, facts, entry.to_state)
    return findings
