"""The hash chain and its verdicts, without a database."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import groupby

import pytest

from workflow.domain.actors import Actor
from workflow.domain.audit import (
    GENESIS,
    canonical,
    entry_for,
    entry_hash,
    hash_values,
    hashed_values,
    reference_canonical,
    sealed,
)
from workflow.domain.roles import Role
from workflow.usecases.auditing.chain import (
    ChainsVerdict,
    Checkpoint,
    Link,
    check_chain,
    merkle_root,
    verify_chains,
)

ACTOR = Actor(7, "支部书记", Role.BRANCH, 2, "/1/2/")


def entry(seq: int = 1, **changes):
    values = dict(
        dossier_id=3, seq=seq, kind="record", action="talk", from_state="applicant",
        to_state="applicant", effective_date=date(2025, 3, 8), payload={"by": "张三", "a": 1},
        actor=ACTOR, recorded_at=datetime(2025, 3, 8, 2, 0, 0, 5, tzinfo=UTC),
        request_id="r1", rulebook_id="2014", revision=1,
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


def stored_rows(dossier_id: int, n: int) -> list[list]:
    """A chain as `AuditLog.hashed_chains` gives it: the hashed values with the payload as
    stored (SQLAlchemy's json.dumps: its key order, spaces, \\u escapes), then seq, the stored
    hash, the dossier's version and its row (not replayed here: None)."""
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        e = sealed(entry(seq, dossier_id=dossier_id,
                         payload={"n": seq, "by": "张三", "note": "引号\"\n"}), prev)
        values = hashed_values(e, prev)
        values[6] = json.dumps(values[6])
        rows.append([*values, seq, e.hash, n, 1, None, seq])
        prev = e.hash
    return rows


def reference_problems(rows: list[list]) -> list:
    """What `check_chain` says of each dossier of the rows, every hash recomputed by
    `hash_values` from the parsed payload: what the fast loop must say too."""
    problems = []
    for dossier_id, chain_rows in groupby(rows, key=lambda row: row[0]):
        links, version = [], None
        for row in chain_rows:
            values = list(row[:14])
            with contextlib.suppress(TypeError, ValueError, RecursionError):
                values[6] = json.loads(values[6])
            try:
                computed = hash_values(values)
            except ValueError:  # NaN or an infinite number: no canonical form
                computed = ""
            links.append(Link(row[14], row[13], row[15], computed))
            version = row[16]
        if (problem := check_chain(dossier_id, links, version)) is not None:
            problems.append(problem)
    return problems


def renumber(rows: list[list]) -> list[list]:
    return [[*row[:14], seq, *row[15:]] for seq, row in enumerate(rows, 1)]


def versioned(rows: list[list], version: int) -> list[list]:
    return [[*row[:16], version, *row[17:]] for row in rows]


def forged(rows: list[list]) -> list[list]:
    # A tamperer who knows the algorithm: an entry after the second, linked and hashed.
    values = [*rows[2][:6], {"by": "伪造"}, *rows[2][7:13], rows[1][15]]
    row = [*values[:6], json.dumps(values[6]), *values[7:], 0, hash_values(values), 0, 1,
           None, 0]
    return versioned(renumber([*rows[:2], row, *rows[2:]]), 6)


def at(index: int, column: int, value) -> Callable[[list[list]], list[list]]:
    def change(rows: list[list]) -> list[list]:
        rows = [list(row) for row in rows]
        rows[index][column] = value
        return rows
    return change


@pytest.mark.parametrize(("damage", "seq", "kind"), [
    (at(2, 6, json.dumps({"n": 99})), 3, "payload_altered"),
    (at(2, 6, '{"n": broken'), 3, "payload_altered"),
    (at(2, 6, '{"n": 3} {}'), 3, "payload_altered"),
    (at(2, 6, '{"n": NaN}'), 3, "payload_altered"),
    (at(2, 6, '{"n": 3.0}'), 3, "payload_altered"),
    (at(2, 6, '{"n": 1e400}'), 3, "payload_altered"),
    (at(2, 6, "[" * 100_000 + "]" * 100_000), 3, "payload_altered"),
    (at(2, 6, None), 3, "payload_altered"),
    (at(2, 5, "2025-03-09"), 3, "payload_altered"),
    (at(2, 5, 20250308), 3, "payload_altered"),
    (at(2, 10, "2025-03-08T02:00:00.000006+00:00"), 3, "payload_altered"),
    (lambda rows: rows[:2] + rows[3:], 4, "entry_missing"),
    (lambda rows: renumber(rows[:2] + rows[3:]), 3, "entry_missing"),
    (lambda rows: renumber([rows[0], rows[2], rows[1], *rows[3:]]), 2, "order_changed"),
    (forged, 3, "forged_entry"),
    (lambda rows: rows[:3], 4, "tail_truncated"),
    (lambda rows: versioned(rows, 4), 5, "forged_entry"),
])
def test_the_fast_loop_names_what_check_chain_names(damage, seq, kind):
    # The victim (3) between two intact dossiers of other lengths: a verdict must not leak
    # across a dossier boundary.
    rows = [*stored_rows(2, 4), *damage(stored_rows(3, 5)), *stored_rows(4, 6)]
    verdict = verify_chains(rows, {})
    assert verdict.problems == reference_problems(rows)
    assert [(p.dossier_id, p.seq, p.kind) for p in verdict.problems] == [(3, seq, kind)]
    assert (verdict.entries, verdict.dossiers) == (len(rows), 3)


def test_the_fast_loop_passes_intact_chains_whatever_the_stored_payload_layout():
    rows = [*stored_rows(2, 4), *stored_rows(3, 5)]
    # The same payload stored with other whitespace and key order is the same content.
    rows[1][6] = json.dumps(json.loads(rows[1][6]), indent=2, sort_keys=True,
                            ensure_ascii=False)
    rows[2][6] = f" {rows[2][6]}\n"
    assert verify_chains(rows, {}) == ChainsVerdict(entries=9, dossiers=2)
    assert verify_chains([], {}) == ChainsVerdict()


def test_the_fast_loop_holds_intact_chains_to_the_kept_heads():
    rows = [*stored_rows(2, 4), *stored_rows(3, 5)]
    hash_of = {(row[0], row[14]): row[15] for row in rows}
    assert verify_chains(rows, {2: (4, hash_of[2, 4]), 3: (2, hash_of[3, 2])}).problems == []
    verdict = verify_chains(rows, {2: (3, "a" * 64), 3: (7, hash_of[3, 5]),
                                   9: (1, hash_of[2, 1])})
    assert [(p.dossier_id, p.seq, p.kind) for p in verdict.problems] == [
        (2, 3, "chain_rewritten"), (3, 6, "tail_truncated")]
    assert verdict.unseen == {9: (1, hash_of[2, 1])}  # left to the caller
    # A head at seq 0 (a crafted checkpoint) is no entry of the chain.
    assert verify_chains(rows, {3: (0, hash_of[3, 5])}).problems[0].kind == "chain_rewritten"
