"""The hash chain and its verdicts, without a database."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from workflow.actors import Actor
from workflow.audit import (
    GENESIS,
    canonical,
    entry_for,
    entry_hash,
    hashed_values,
    reference_canonical,
    sealed,
)
from workflow.auditing.chain import Checkpoint, Link, check_chain, merkle_root
from workflow.roles import Role

ACTOR = Actor(7, "支部书记", Role.BRANCH, 2, "/1/2/")


def entry(seq: int = 1, **changes):
    values = dict(
        dossier_id=3, seq=seq, kind="record", action="talk", from_state="applicant",
        to_state="applicant", effective_date=date(2025, 3, 8), payload={"by": "张三", "a": 1},
        actor=ACTOR, recorded_at=datetime(2025, 3, 8, 2, 0, 0, 5, tzinfo=UTC),
        request_id="r1", rulebook_id="2014",
    )
    values.update(changes)
    return entry_for(**values)


def test_the_canonical_form_is_pinned():
    # Changing it would make every stored hash wrong: this test must never need updating.
    assert canonical(hashed_values(entry(), GENESIS)).decode() == (
        '[3,"record","talk","applicant","applicant","2025-03-08",{"a":1,"by":"张三"},7,'
        '"支部书记","branch","2025-03-08T02:00:00.000005+00:00","r1","2014",'
        f'"{GENESIS}"]'
    )
    assert entry_hash(entry(), GENESIS) == hashlib.sha256(
        canonical(hashed_values(entry(), GENESIS))).hexdigest()


def test_the_same_instant_in_another_zone_hashes_alike():
    shanghai = timezone(timedelta(hours=8))
    moved = entry(recorded_at=datetime(2025, 3, 8, 10, 0, 0, 5, tzinfo=shanghai))
    assert entry_hash(moved, GENESIS) == entry_hash(entry(), GENESIS)


def test_floats_are_refused():
    with pytest.raises(TypeError, match="floating-point"):
        entry(payload={"hours": 24.5})


def chain(n: int = 5) -> list[Link]:
    links, prev = [], GENESIS
    for seq in range(1, n + 1):
        e = sealed(entry(seq, payload={"n": seq}), prev)
        links.append(Link(seq, e.prev_hash, e.hash, e.hash))
        prev = e.hash
    return links


def renumbered(links: list[Link]) -> list[Link]:
    return [Link(i, x.prev_hash, x.hash, x.computed) for i, x in enumerate(links, 1)]


def test_an_intact_chain_passes():
    assert check_chain(3, chain(), 5) is None


@pytest.mark.parametrize(("damage", "seq", "kind"), [
    (lambda c: [*c[:2], Link(3, c[2].prev_hash, c[2].hash, "f" * 64), *c[3:]], 3,
     "payload_altered"),
    (lambda c: c[:2] + c[3:], 4, "entry_missing"),
    (lambda c: renumbered(c[:2] + c[3:]), 3, "entry_missing"),
    (lambda c: renumbered([c[0], c[2], c[1], *c[3:]]), 2, "order_changed"),
    (lambda c: renumbered([c[1], c[0], *c[2:]]), 1, "order_changed"),
    (lambda c: renumbered([*c[:2], Link(0, c[1].hash, "e" * 64, "e" * 64), *c[2:]]), 3,
     "forged_entry"),
    (lambda c: renumbered([*c[:2], Link(0, c[1].hash, "e" * 64, "d" * 64), *c[2:]]), 3,
     "forged_entry"),
    (lambda c: c[:3], 4, "tail_truncated"),
    (lambda c: [], 1, "chain_deleted"),
])
def test_each_damage_is_named_at_its_first_broken_entry(damage, seq, kind):
    problem = check_chain(3, damage(chain()), 5 if kind != "forged_entry" else 6)
    assert (problem.seq, problem.kind) == (seq, kind)


def test_entries_beyond_the_dossiers_version_are_forged():
    problem = check_chain(3, chain(5), 4)
    assert (problem.seq, problem.kind) == (5, "forged_entry")


def test_merkle_root_depends_on_every_head_and_not_on_their_order():
    heads = [(1, 4, "a" * 64), (2, 9, "b" * 64), (5, 1, "c" * 64)]
    root = merkle_root(heads)
    assert merkle_root(reversed(heads)) == root
    assert merkle_root(heads[:2]) != root
    assert merkle_root([*heads[:2], (5, 1, "d" * 64)]) != root
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()


def test_a_checkpoint_round_trips_and_detects_its_own_alteration():
    kept = Checkpoint.of(created_at=datetime(2025, 1, 1, tzinfo=UTC), scope="/1/",
                         heads=[(1, 4, "a" * 64), (2, 9, "b" * 64)])
    assert kept.entries == 13
    again = Checkpoint.loads(json.dumps(kept.to_json()))
    assert again == kept and again.integrity_problem() is None
    data = kept.to_json()
    data["heads"] = data["heads"][1:]
    assert Checkpoint.from_json(data).integrity_problem().kind == "checkpoint_invalid"
    for bad in ("[]", "{}", "not json", '{"format": "other"}'):
        with pytest.raises(ValueError):
            Checkpoint.loads(bad)


@pytest.mark.parametrize("payload", [
    {"by": "张三", "note": "引号\"、反斜杠\\、换行\n、制表\t", "z": None, "b": True},
    {"nested": {"b": [1, 2, {"y": "é", "x": "\u2028"}], "a": -7}, "": ""},
    {"big": 2**70, "emoji": "党🚩", "ctrl": "\x01\x7f"},
])
def test_the_fast_encoder_writes_exactly_what_the_json_module_does(payload):
    values = hashed_values(entry(payload=payload), GENESIS)
    assert canonical(values) == reference_canonical(values)
    with pytest.raises(TypeError):
        canonical([object()])
