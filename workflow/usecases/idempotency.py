"""Idempotency keys: a repeated POST with the same key returns the first answer.

A key is reserved (committed) before the request is processed, so that a concurrent repeat
sees it at once instead of processing the request a second time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from workflow.domain.environment import Environment
from workflow.store.repository import IdempotentAnswer
from workflow.store.uow import UnitOfWork


@dataclass(frozen=True)
class Reservation:
    """Either the key is now ours (`previous` is None) or it was used before."""

    previous: IdempotentAnswer | None


def reserve(*, uow: UnitOfWork, env: Environment, user_id: int, key: str,
            request_hash: str) -> Reservation:
    for _ in range(2):
        try:
            with uow.transaction(write=True) as tx:
                previous = tx.repo.idempotent_answer(user_id, key)
                if previous is not None:
                    return Reservation(previous)
                tx.repo.reserve_idempotency_key(user_id, key, request_hash, env.now())
                tx.commit()
                return Reservation(None)
        except IntegrityError:
            # A concurrent request reserved the same key between our read and our insert.
            continue
    with uow.transaction() as tx:
        return Reservation(tx.repo.idempotent_answer(user_id, key))


def complete(*, uow: UnitOfWork, user_id: int, key: str, status_code: int, response: str,
             location: str | None) -> None:
    with uow.transaction(write=True) as tx:
        tx.repo.complete_idempotency_key(user_id, key, status_code=status_code,
                                         response=response, location=location)
        tx.commit()


def release(*, uow: UnitOfWork, user_id: int, key: str) -> None:
    with uow.transaction(write=True) as tx:
        tx.repo.release_idempotency_key(user_id, key)
        tx.commit()
