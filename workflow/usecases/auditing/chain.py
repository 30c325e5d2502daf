"""Verification of the hash chains, and checkpoints an auditor keeps outside the database.

`check_chain` walks one dossier's entries in `seq` order and names the first broken one and
what is wrong with it. A checkpoint holds every chain head (dossier, seq, hash), their count
and a Merkle root over them: verifying against it also catches what leaves no trace inside
the database, such as a whole dossier's chain or a chain's tail deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from workflow.domain.audit import GENESIS, UNHASHED_REVISION, canonical_text
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import CORRECTIONS
from workflow.domain.procedure import Procedure
from workflow.domain.rulebook import RulebookSet
from workflow.usecases.auditing.replay import ROW, Replay, first_difference

CHECKPOINT_FORMAT = "recruitflow-audit-checkpoint/1"


class Link(NamedTuple):
    """What verification needs of an entry: its place, its links, and its hash recomputed
    from the stored content (`computed`), to compare with the stored one (`hash`)."""

    seq: int
    prev_hash: str
    hash: str
    computed: str


@dataclass(frozen=True)
class Problem:
    """The first broken entry of a damaged chain (`seq`), a dossier row that is not what its
    intact chain implies (`field`, the first that differs), or a damaged checkpoint."""

    dossier_id: int | None
    seq: int | None
    kind: str
    message: str
    field: str | None = None


# The kinds of damage, as reported.
ALTERED = "payload_altered"
MISSING = "entry_missing"
ORDER = "order_changed"
FORGED = "forged_entry"
TRUNCATED = "tail_truncated"
CHAIN_DELETED = "chain_deleted"
REWRITTEN = "chain_rewritten"
BAD_CHECKPOINT = "checkpoint_invalid"
ROW_ALTERED = "row_altered"
DOSSIER_DELETED = "dossier_deleted"
UNREPLAYABLE = "log_unreplayable"


def check_chain(dossier_id: int, links: Sequence[Link], version: int | None) -> Problem | None:
    """The first problem of one dossier's chain, `links` in stored `seq` order; `version` is
    the dossier's own count of its entries (None when the dossier row is gone)."""

    def problem(seq: int | None, kind: str, message: str) -> Problem:
        return Problem(dossier_id, seq, kind, message)

    position = {link.hash: i for i, link in enumerate(links)}
    expected_prev = GENESIS
    for i, link in enumerate(links):
        following = links[i + 1] if i + 1 < len(links) else None
        # The next entry links past this one: this one was slipped in between.
        bypassed = following is not None and following.prev_hash == link.prev_hash
        if link.computed != link.hash:
            if bypassed:
                return problem(link.seq, FORGED, "an entry that is not part of the chain "
                               "(its successor links to its predecessor)")
            return problem(link.seq, ALTERED, "the entry's content does not match its hash")
        if link.prev_hash != expected_prev:
            if i and link.prev_hash == links[i - 1].prev_hash:
                return problem(links[i - 1].seq, FORGED, "an entry that is not part of the "
                               "chain (its successor links to its predecessor)")
            elsewhere = position.get(link.prev_hash)
            if elsewhere is not None or link.prev_hash == GENESIS:
                return problem(link.seq, ORDER, "the entry links to another place in the "
                               "chain: entries were reordered")
            return problem(link.seq, MISSING, "the entry it links to is not in the chain: an "
                           "entry before it was removed")
        if link.seq != i + 1:
            return problem(link.seq, ORDER, f"numbered {link.seq} where {i + 1} was expected")
        expected_prev = link.hash
    count = len(links)
    if version is not None and count < version:
        if not count:
            return problem(1, CHAIN_DELETED, f"the dossier is at version {version} but has "
                           "no audit entries")
        return problem(count + 1, TRUNCATED, f"the dossier is at version {version} but its "
                       f"chain ends at entry {count}")
    if version is not None and count > version:
        return problem(version + 1, FORGED, f"the dossier is at version {version}: entries "
                       "after it are not its own")
    return None


@dataclass
class ChainsVerdict:
    """What `verify_chains` found: entries and dossiers seen, the problems, and the
    checkpoint's heads whose dossiers had no entries among the rows."""

    entries: int = 0
    dossiers: int = 0
    problems: list[Problem] = field(default_factory=list)
    unseen: dict[int, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Replayer:
    """What replaying a chain into its dossier's facts needs (workflow.usecases.auditing.replay)."""

    procedure: Procedure
    rulebooks: RulebookSet
    calendar: WorkingDayCalendar


class _Broken(Exception):
    """A chain whose entries the procedure cannot replay."""


def verify_chains(rows: Iterable[Sequence[Any]], kept: Mapping[int, tuple[int, str]],
                  replayer: Replayer | None = None) -> ChainsVerdict:
    """Recompute the hash of every entry and check each dossier's chain (and, given the kept
    heads of a checkpoint, that it still holds what the checkpoint saw); with a `replayer`,
    replay each intact chain into the facts it implies and compare them with its dossier's
    stored row.

    `rows` are `AuditLog.hashed_chains` rows, by dossier and seq: the hashed fields in
    `HASHED` order, with the day and the instant already as hashed and the payload as its
    stored JSON text, then seq, the stored hash, the dossier's version (None: the dossier row
    is gone), the entry's revision, on the entry numbered 1 the dossier's row as JSON text
    (`replay.ROW`), and the entry's id. The hot loop of verification: per entry it parses the
    payload, serialises the values canonically and hashes them, checks the link with plain
    comparisons, and replays the entry; `check_chain` then names what is wrong with a chain
    that fails them, and is not needed for one that passes (it finds nothing exactly when
    every entry's hash is its content's, every entry links to the one before, seqs run 1, 2,
    3… and their count is the dossier's version)."""
    verdict = ChainsVerdict(unseen=dict(kept))
    sha256, text_of = hashlib.sha256, canonical_text
    decode = _PAYLOAD.raw_decode
    day_of = date.fromisoformat
    current: int | None = None
    links: list[tuple[int, str, str, str]] = []
    intact, expected, version = True, GENESIS, None
    replay: Replay | None = None
    record = None
    broken: str | None = None
    row: str | None = None
    if replayer is not None:
        procedure, rulebooks, calendar = (replayer.procedure, replayer.rulebooks,
                                          replayer.calendar)
    for (dossier_id, kind, action, from_state, to_state, day, stored_payload, actor_id,
         actor_name, actor_role, moment, request_id, rulebook_id, prev_hash, seq, stored,
         dossier_version, revision, dossier_row, entry_id) in rows:
        if dossier_id != current:
            if current is not None:
                _judge(verdict, current, links, intact, version, replay, broken, row)
            current, links, intact, expected = dossier_id, [], True, GENESIS
            version, replay, broken, row = dossier_version, None, None, dossier_row
            record = None
        # raw_decode skips json.loads' whitespace scans; anything unusual takes the long way.
        try:
            payload, end = decode(stored_payload)
            if end != len(stored_payload):
                payload = _parsed(stored_payload)
        except (TypeError, ValueError, RecursionError):
            payload = _parsed(stored_payload)
        try:
            values = [
                dossier_id, kind, action, from_state, to_state, day, payload, actor_id,
                actor_name, actor_role, moment, request_id, rulebook_id, prev_hash,
            ]
            if revision != UNHASHED_REVISION:
                values.append(revision)
            computed = sha256(text_of(values).encode()).hexdigest()
        except (TypeError, ValueError, RecursionError):
            computed = ""  # no canonical form (NaN, say): no entry was ever hashed from it
        links.append((seq, prev_hash, stored, computed))
        if computed != stored or prev_hash != expected or seq != len(links):
            intact = False
        expected = stored
        if replayer is None or broken is not None:
            continue
        if kind == "record" and record is not None and action not in CORRECTIONS:
            record((entry_id, action, day, payload))  # Replay.record, without its call
            continue
        try:
            if replay is None:
                if kind != "create":
                    raise _Broken("it does not start with the dossier's creation")
                replay = Replay(dossier_id, to_state, day_of(day), payload)
                record = replay.pending.append
            elif kind == "record":
                replay.correction(action, payload)
            else:
                replay.transition(seq, action, to_state, day_of(day), payload, rulebook_id,
                                  revision, procedure, rulebooks, calendar)
        except Exception as error:  # a forged payload may break any effect
            broken = str(error) or type(error).__name__
    if current is not None:
        _judge(verdict, current, links, intact, version, replay, broken, row)
    return verdict


_PAYLOAD = json.JSONDecoder()


def _parsed(stored_payload: Any) -> Any:
    """The stored payload text as JSON; text that is not one JSON value stays as stored: its
    hash cannot match, and the verdict says so."""
    try:
        return _PAYLOAD.decode(stored_payload)
    except (TypeError, ValueError, RecursionError):
        return stored_payload


def _judge(verdict: ChainsVerdict, dossier_id: int, links: list[tuple[int, str, str, str]],
           intact: bool, version: int | None, replay: Replay | None, broken: str | None,
           row: str | None) -> None:
    count = len(links)
    verdict.entries += count
    verdict.dossiers += 1
    head = verdict.unseen.pop(dossier_id, None)
    if version is None:
        verdict.problems.append(Problem(
            dossier_id, 1, DOSSIER_DELETED,
            f"{count} audit entries of a dossier whose row is gone (deleted)"))
        return
    if intact and count == version:
        problem = None
    else:
        problem = check_chain(dossier_id, [Link._make(link) for link in links], version)
    if problem is None and head is not None:
        # An intact chain: entry n is links[n - 1].
        at_head = links[head[0] - 1][2] if 1 <= head[0] <= count else None
        problem = against_checkpoint(dossier_id, head, count, at_head)
    if problem is None and broken is not None:
        problem = Problem(dossier_id, None, UNREPLAYABLE,
                          f"the procedure cannot replay the dossier's log: {broken}")
    if problem is None and replay is not None:
        problem = _against_row(dossier_id, replay, count, row)
    if problem is not None:
        verdict.problems.append(problem)


def _against_row(dossier_id: int, replay: Replay, entries: int,
                 row: str | None) -> Problem | None:
    """Whether the dossier's stored row is what its (intact) chain implies."""
    try:
        stored = json.loads(row) if row is not None else None
    except ValueError:
        stored = None
    if not isinstance(stored, list) or len(stored) != len(ROW):
        return Problem(dossier_id, None, ROW_ALTERED, "the dossier's row cannot be read")
    name = first_difference(replay.implied(entries), stored)
    if name is None:
        return None
    # The values are not repeated: a field may be private (an ID number).
    return Problem(dossier_id, None, ROW_ALTERED,
                   f"the dossier's {name} is not what its audit log implies", name)


def _leaf(dossier_id: int, seq: int, head: str) -> bytes:
    return hashlib.sha256(b"\x00" + f"{dossier_id}:{seq}:{head}".encode()).digest()


def merkle_root(heads: Iterable[tuple[int, int, str]]) -> str:
    """Root over (dossier_id, seq, hash) chain heads in dossier order; leaves and inner nodes
    are hashed with distinct prefixes (as in RFC 6962) so that neither passes for the other."""
    level = [_leaf(*head) for head in sorted(heads)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                  for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()


@dataclass(frozen=True)
class Checkpoint:
    created_at: datetime
    scope: str
    entries: int
    root: str
    # dossier_id -> (seq, hash) of the chain's last entry.
    heads: Mapping[int, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, *, created_at: datetime, scope: str,
           heads: Iterable[tuple[int, int, str]]) -> Checkpoint:
        by_dossier = {d: (s, h) for d, s, h in heads}
        return cls(created_at, scope, sum(s for s, _ in by_dossier.values()),
                   merkle_root((d, s, h) for d, (s, h) in by_dossier.items()), by_dossier)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "created_at": self.created_at.isoformat(),
            "scope": self.scope,
            "entries": self.entries,
            "dossiers": len(self.heads),
            "root": self.root,
            "heads": [[d, s, h] for d, (s, h) in sorted(self.heads.items())],
        }

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint:
        """Read a kept checkpoint; ValueError when it is not one."""
        try:
            if data["format"] != CHECKPOINT_FORMAT:
                raise ValueError(f"not a {CHECKPOINT_FORMAT} file")
            heads = {}
            for dossier_id, seq, head in data["heads"]:
                if not (isinstance(dossier_id, int) and isinstance(seq, int)
                        and isinstance(head, str)):
                    raise ValueError("heads are [dossier_id, seq, hash] triples")
                heads[dossier_id] = (seq, head)
            return cls(datetime.fromisoformat(data["created_at"]), str(data["scope"]),
                       int(data["entries"]), str(data["root"]), heads)
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a checkpoint: {error}") from error

    @classmethod
    def loads(cls, text: str | bytes) -> Checkpoint:
        try:
            return cls.from_json(json.loads(text))
        except json.JSONDecodeError as error:
            raise ValueError(f"not a checkpoint: {error}") from error

    def integrity_problem(self) -> Problem | None:
        """Whether the file itself is intact: its heads give its root and its count."""
        heads = [(d, s, h) for d, (s, h) in self.heads.items()]
        if merkle_root(heads) != self.root or sum(s for _, s, _ in heads) != self.entries:
            return Problem(None, None, BAD_CHECKPOINT,
                           "the checkpoint's heads do not give its root and count: the file "
                           "was altered")
        return None


def against_checkpoint(dossier_id: int, kept: tuple[int, str], count: int,
                       hash_at_kept_seq: str | None) -> Problem | None:
    """Whether an intact chain of `count` entries still holds what the checkpoint saw."""
    seq, head = kept
    if count == 0:
        return Problem(dossier_id, 1, CHAIN_DELETED,
                       f"the checkpoint saw {seq} entries; none are left")
    if count < seq:
        return Problem(dossier_id, count + 1, TRUNCATED,
                       f"the checkpoint saw {seq} entries; the chain ends at {count}")
    if hash_at_kept_seq != head:
        return Problem(dossier_id, seq, REWRITTEN,
                       f"entry {seq} is not the one the checkpoint saw: the chain was "
                       "rewritten up to it")
    return None
