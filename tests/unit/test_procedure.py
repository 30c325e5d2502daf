"""The machine definition against docs/PROCEDURE.md: states, transitions, roles and rule ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from states import PROCEDURE
from workflow.domain.machine import Engine, engine_for
from workflow.domain.procedure import Procedure, StateDef, TransitionDef
from workflow.domain.roles import Role
from workflow.domain.rulebook import BUILT_IN
from workflow.domain.rules import Rule

B, C = {Role.BRANCH}, {Role.COMMITTEE}
PROBATION = ("probationary", "conversion_publicity", "conversion_vote", "conversion_approval")
BEFORE_PROBATION = ("applicant", "activist", "training", "political_review", "pre_review",
                    "publicity", "vote", "approval")
CANDIDACY = ("training", "political_review", "pre_review", "publicity", "vote", "approval")

# PROCEDURE.md's transition table: trigger -> (sources, destination, roles, rule ids).
TABLE = {
    "designate_activist": (("applicant",), "activist", B,
                           ("talk_done", "recommended", "contacts")),
    "designate_candidate": (("activist",), "training", B,
                            ("cultivation_period", "evaluations", "sponsors", "filed",
                             "candidate_filed")),
    "complete_training": (("training",), "political_review", C, ("training_hours",)),
    "pass_political_review": (("political_review",), "pre_review", C, ("review_conclusion",)),
    "start_publicity": (("pre_review",), "publicity", C, ("branch_reviewed",)),
    "close_publicity": (("publicity",), "vote", C,
                        ("publicity_elapsed", "objections_resolved")),
    "hold_vote": (("vote",), "approval", B,
                  ("volunteer_form", "vote_counts", "quorum", "majority")),
    "record_failed_vote": (("vote",), "activist", B, ("vote_counts", "quorum", "not_passed")),
    "approve": (("approval",), "probationary", C, ("approval_talk", "approval_deadline")),
    "start_conversion_publicity": (("probationary",), "conversion_publicity", C,
                                   ("probation_elapsed", "conversion_application",
                                    "conversion_reviewed")),
    "close_conversion_publicity": (("conversion_publicity",), "conversion_vote", C,
                                   ("publicity_elapsed", "objections_resolved")),
    "hold_conversion_vote": (("conversion_vote", "probationary"), "conversion_approval", B,
                             ("vote_counts", "quorum", "majority", "motion_allowed", "oath",
                              "extension_length", "extension_once")),
    "record_failed_conversion_vote": (("conversion_vote", "probationary"), "conversion_vote",
                                      B, ("vote_counts", "quorum", "not_passed",
                                          "motion_allowed")),
    "approve_conversion": (("conversion_approval",), "full_member", C, ("approval_deadline",)),
    "refuse_conversion_resolution": (("conversion_approval",), "conversion_vote", C,
                                     ("reason_given",)),
    "reject": (BEFORE_PROBATION, "rejected", B | C, ("reason_given",)),
    "withdraw": ((*BEFORE_PROBATION, *PROBATION), "withdrawn", B, ("reason_given",)),
    "return_to_activist": (CANDIDACY, "activist", B | C, ("reason_given",)),
}
STATES = ["applicant", "activist", "training", "political_review", "pre_review", "publicity",
          "vote", "approval", "probationary", "conversion_publicity", "conversion_vote",
          "conversion_approval", "full_member", "rejected", "withdrawn", "disqualified"]
TERMINAL = {"full_member", "rejected", "withdrawn", "disqualified"}
# Rule ids named in PROCEDURE.md (transition table and agenda table).
NAMED_RULES = {
    "min_age", "talk_done", "recommended", "contacts", "cultivation_period", "evaluations",
    "sponsors", "filed", "training_hours", "branch_reviewed", "publicity_elapsed",
    "objections_resolved", "quorum", "majority", "approval_talk", "approval_deadline",
    "probation_elapsed", "conversion_application", "extension_length", "extension_once",
    "talk_deadline", "evaluation_due", "probation_end", "candidate_filed", "volunteer_form",
    "not_passed", "conversion_reviewed", "oath", "review_conclusion", "motion_allowed",
    "reason_given",
}
# Where an act leads to one of several states: every destination.
DESTS = {
    "record_failed_conversion_vote": {"conversion_vote", "probationary"},
    "approve_conversion": {"full_member", "probationary", "disqualified"},
    "refuse_conversion_resolution": {"conversion_vote", "probationary"},
}


def test_the_procedure_passes_its_own_check():
    PROCEDURE.check()


def test_the_states_are_those_of_the_rulebook():
    assert [s.name for s in PROCEDURE.states] == STATES
    assert PROCEDURE.initial == "applicant"
    assert {s.name for s in PROCEDURE.states if s.final} == TERMINAL


def test_every_state_is_reachable_from_the_initial_state():
    reachable, frontier = {PROCEDURE.initial}, [PROCEDURE.initial]
    while frontier:
        for t in PROCEDURE.transitions_from(frontier.pop()):
            for dest in {*t.dests} - reachable:
                reachable.add(dest)
                frontier.append(dest)
    assert reachable == set(STATES)


def test_every_non_terminal_state_has_a_way_out_and_no_terminal_state_has_one():
    for state in STATES:
        ways_out = PROCEDURE.transitions_from(state)
        assert bool(ways_out) is (state not in TERMINAL), state


def test_every_non_terminal_state_can_still_end():
    # From anywhere before the end, a terminal state can be reached.
    for state in set(STATES) - TERMINAL:
        seen, frontier = {state}, [state]
        while frontier:
            for t in PROCEDURE.transitions_from(frontier.pop()):
                for dest in {*t.dests} - seen:
                    seen.add(dest)
                    frontier.append(dest)
        assert seen & TERMINAL, state


@pytest.mark.parametrize("trigger", sorted(TABLE))
def test_each_transition_matches_the_table(trigger):
    sources, dest, roles, rule_ids = TABLE[trigger]
    declared = [t for t in PROCEDURE.transitions if t.trigger == trigger]
    assert len(declared) == 1
    t = declared[0]
    assert set(t.sources) == set(sources)
    assert t.dest == dest
    assert set(t.dests) == DESTS.get(trigger, {dest})
    assert set(t.roles) == roles
    assert tuple(r.id for r in t.rules) == rule_ids


def test_no_trigger_beyond_the_table():
    assert set(PROCEDURE.triggers()) == set(TABLE)


def test_min_age_is_the_creation_rule():
    assert [r.id for r in PROCEDURE.creation_rules] == ["min_age"]


def test_every_rule_named_in_the_rulebook_is_defined():
    assert set(PROCEDURE.rules()) >= NAMED_RULES
    assert "vote_counts" in PROCEDURE.rules()
    assert "reason_given" in PROCEDURE.rules()


PROCEDURE_MD = Path(__file__).resolve().parents[2] / "docs" / "PROCEDURE.md"


def test_rule_ids_written_in_procedure_md_are_defined():
    text = PROCEDURE_MD.read_text(encoding="utf-8")
    table = text.split("## Transitions and their guards", 1)[1].split("## Records", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| (create)")
            or line.startswith("| `")]
    # Guards are written "`rule_id`: condition"; a row may also name a rule by itself
    # ("`approval_deadline` counted from ...").
    named = set()
    for row in rows:
        guards = row.split("|")[4]
        named |= set(re.findall(r"`([a-z_]+)`:", guards))
        named |= set(re.findall(r"^\s*`([a-z_]+)` counted", guards))
    agenda = text.split("## Deadlines the service must track", 1)[1].split("## ", 1)[0]
    named |= set(re.findall(r"\| `([a-z_]+)` \|\s*$", agenda, flags=re.M))
    assert named >= NAMED_RULES  # the parse found every rule this module lists
    # Every trigger of the table is one of the procedure's, and the other way round.
    triggers = {re.match(r"\| `([a-z_]+)`", row).group(1) for row in rows
                if row.startswith("| `")}
    assert triggers == set(PROCEDURE.triggers())
    assert named <= set(PROCEDURE.rules()), named - set(PROCEDURE.rules())


def test_every_rule_describes_itself_with_the_rulebook_numbers():
    rulebook = BUILT_IN[0]
    for rule in PROCEDURE.rules().values():
        described = rule.describe(rulebook)
        assert described["id"] == rule.id
        for text in (described["summary"], described["summary_zh"]):
            assert text
            assert "{" not in text and "}" not in text, (rule.id, text)
    cultivation = PROCEDURE.rules()["cultivation_period"].describe(
        rulebook.with_numbers({"cultivation_months": 18}))
    assert "18" in cultivation["summary"]


def test_engine_for_builds_one_engine_per_rulebook():
    rulebook = BUILT_IN[0]
    engine = engine_for(PROCEDURE, rulebook)
    assert isinstance(engine, Engine)
    assert engine_for(PROCEDURE, rulebook) is engine
    # An equal rulebook (as built again from the same config) shares the engine.
    assert engine_for(PROCEDURE, rulebook.with_numbers({})) is engine
    other = engine_for(PROCEDURE, rulebook.with_numbers({"publicity_working_days": 7}))
    assert other is not engine
    assert other.rulebook.publicity_working_days == 7
    assert engine.rulebook.publicity_working_days == 5


# ----------------------------------------------------- the checker refuses broken machines


def _rule(rule_id: str) -> Rule:
    return Rule(rule_id, "s", "s", lambda facts: None)


def _procedure(states, transitions) -> Procedure:
    return Procedure("a", tuple(states), tuple(transitions), (), ())


def test_check_refuses_an_unreachable_state():
    broken = _procedure(
        [StateDef("a", "", ""), StateDef("b", "", "", final=True), StateDef("c", "", "")],
        [TransitionDef("go", ("a",), "b", frozenset()), TransitionDef("on", ("c",), "b",
                                                                      frozenset())],
    )
    with pytest.raises(ValueError, match="unreachable"):
        broken.check()


def test_check_refuses_a_dead_end():
    broken = _procedure([StateDef("a", "", ""), StateDef("b", "", "")],
                        [TransitionDef("go", ("a",), "b", frozenset())])
    with pytest.raises(ValueError, match="dead end"):
        broken.check()


def test_check_refuses_a_rule_id_defined_twice():
    broken = _procedure(
        [StateDef("a", "", ""), StateDef("b", "", "", final=True)],
        [TransitionDef("go", ("a",), "b", frozenset(), rules=(_rule("x"), _rule("x")))],
    )
    with pytest.raises(ValueError, match="defined twice"):
        broken.check()


def test_check_refuses_an_unknown_state_name():
    broken = _procedure([StateDef("a", "", "")], [TransitionDef("go", ("a",), "z", frozenset())])
    with pytest.raises(ValueError, match="unknown states"):
        broken.check()


# ------------------------------------------------------------ records and trigger payloads

RECORD_TYPES = {
    "talk": {"by"},
    "recommendation": {"method"},
    "contact": {"member_id"},
    "evaluation": {"summary"},
    "filing": {"stage"},
    "sponsor": {"member_id"},
    "branch_review": {"summary"},
    "volunteer_form": set(),
    "objection": {"summary"},
    "objection_resolution": {"objection_id", "upheld", "summary"},
    "approval_talk": {"by"},
    "extension_reason": {"reason"},
    "late_reason": {"reason"},
    "oath": set(),
    "conversion_application": set(),
}


def test_the_record_types_are_those_of_the_rulebook():
    assert {r.name: {p.name for p in r.params} for r in PROCEDURE.records} == RECORD_TYPES
    assert set(PROCEDURE.record_type("recommendation").params[0].choices) == {
        "party_members", "mass_organization"}
    assert set(PROCEDURE.record_type("filing").params[0].choices) == {
        "activist", "candidate", "admission"}
    assert PROCEDURE.record_type("no_such_record") is None


@pytest.mark.parametrize(("trigger", "params"), [
    ("complete_training", {"hours", "days", "passed"}),
    ("hold_vote", {"entitled", "present", "in_favour", "against", "abstained", "written"}),
    ("record_failed_vote", {"entitled", "present", "in_favour", "against", "abstained",
                            "written"}),
    ("hold_conversion_vote", {"entitled", "present", "in_favour", "against", "abstained",
                              "written", "motion", "months", "reason"}),
    ("record_failed_conversion_vote", {"entitled", "present", "in_favour", "against",
                                       "abstained", "written", "motion", "months", "reason"}),
    ("refuse_conversion_resolution", {"reason"}),
    ("pass_political_review", {"conclusion"}),
    ("reject", {"reason"}),
    ("withdraw", {"reason"}),
    ("return_to_activist", {"reason"}),
    ("designate_activist", set()),
    ("approve", set()),
])
def test_trigger_payloads(trigger, params):
    transition = next(t for t in PROCEDURE.transitions if t.trigger == trigger)
    assert {p.name for p in transition.params} == params
    # Every input a rule needs is a declared parameter of its trigger.
    assert {i for r in transition.rules for i in r.inputs} <= params


def test_written_opinions_are_optional_and_default_to_zero():
    hold_vote = next(t for t in PROCEDURE.transitions if t.trigger == "hold_vote")
    written = next(p for p in hold_vote.params if p.name == "written")
    assert not written.required
    assert written.default == 0
    assert all(p.required for p in hold_vote.params if p.name != "written")


def test_the_triggers_of_revision_1_are_retired_not_forgotten():
    assert PROCEDURE.revision == 2
    assert {"extend_probation", "disqualify"}.isdisjoint(PROCEDURE.triggers())
    assert PROCEDURE.replayed("extend_probation", "probationary").dest == "probationary"
    assert PROCEDURE.replayed("disqualify", "conversion_vote").dest == "disqualified"
    assert PROCEDURE.replayed("disqualify", "activist") is None


def test_the_rules_of_revision_2_say_so():
    rules = PROCEDURE.rules()
    new = {"candidate_filed", "volunteer_form", "review_conclusion", "not_passed",
           "conversion_reviewed", "oath", "motion_allowed"}
    assert {r.id for r in rules.values() if r.revision == 2} == new
