"""Idempotency keys: a repeated POST with the same key returns the first answer.

A key is reserved (committed) before the request is processed, so that a concurrent repeat
sees it at once instead of processing the request a second time. The reservation is a lease
held by one request (`holder`): the answer is written into the very transaction of the write
it answers (workflow.store.uow.HeldCommit), and only while the lease is still that request's.
So a committed write always has its answer kept, and a write whose answer could not be kept
was not committed either. A request that died (kill -9, a lost connection) leaves its
reservation without an answer: after the lease (60 s) a repeat takes it over and is processed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from workflow.domain.environment import Environment
from workflow.store.repository import IdempotentAnswer, Repository
from workflow.store.uow import UnitOfWork

LEASE_SECONDS = 60


@dataclass(frozen=True)
class Reservation:
    """Either the key is now held by `holder` (`previous` is None) or it was used before
    (and is answered, or still held by another request)."""

    previous: IdempotentAnswer | None
    holder: str


def reserve(*, uow: UnitOfWork, env: Environment, user_id: int, key: str,
            request_hash: str, lease_seconds: float = LEASE_SECONDS) -> Reservation:
    holder = secrets.token_hex(16)
    for _ in range(2):
        try:
            with uow.transaction(write=True) as tx:
                previous = tx.repo.idempotent_answer(user_id, key)
                now = env.now()
                if previous is None:
                    tx.repo.reserve_idempotency_key(user_id, key, request_hash, now, holder)
                elif (previous.status_code is not None or previous.request_hash != request_hash
                      or not tx.repo.take_over_idempotency_key(
                          user_id, key, expired_before=now - timedelta(seconds=lease_seconds),
                          now=now, holder=holder)):
                    return Reservation(previous, holder)
                tx.commit()
                return Reservation(None, holder)
        except IntegrityError:
            # A concurrent request reserved the same key between our read and our insert.
            continue
    with uow.transaction() as tx:
        return Reservation(tx.repo.idempotent_answer(user_id, key), holder)


def complete(repo: Repository, *, user_id: int, key: str, holder: str, status_code: int,
             response: str, location: str | None) -> bool:
    """Keep the answer, in the caller's transaction (the write's own, if it wrote): whether
    the reservation was still this request's (if not, the caller must roll back)."""
    return repo.complete_idempotency_key(user_id, key, holder=holder, status_code=status_code,
                                         response=response, location=location)


def complete_alone(*, uow: UnitOfWork, user_id: int, key: str, holder: str, status_code: int,
                   response: str, location: str | None) -> bool:
    """Keep the answer of a request that wrote nothing (a refusal), in its own transaction."""
    with uow.transaction(write=True) as tx:
        kept = complete(tx.repo, user_id=user_id, key=key, holder=holder,
                        status_code=status_code, response=response, location=location)
        tx.commit()
    return kept


def answer(*, uow: UnitOfWork, user_id: int, key: str) -> IdempotentAnswer | None:
    with uow.transaction() as tx:
        return tx.repo.idempotent_answer(user_id, key)


def release(*, uow: UnitOfWork, user_id: int, key: str, holder: str) -> None:
    """Give up a reservation whose request wrote nothing, so that a repeat runs at once."""
    with uow.transaction(write=True) as tx:
        tx.repo.release_idempotency_key(user_id, key, holder)
        tx.commit()
