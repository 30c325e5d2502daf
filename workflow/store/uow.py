"""The unit of work: one database transaction, rolled back unless explicitly committed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from contextvars import ContextVar

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DBAPIError

from workflow.store.database import begin_writing, writer
from workflow.store.repository import Repository


class CommitUncertain(Exception):
    """The connection broke during COMMIT: the change may or may not have been saved."""


class Transaction:
    def __init__(self, connection: Connection, transaction: RootTransaction,
                 repo: Repository | None = None,
                 release: Callable[[], ExitStack] | None = None) -> None:
        self.repo = repo or Repository(connection)
        self._transaction = transaction
        # A write transaction can hand over what it holds (connection, lock, transaction)
        # to a `HeldCommit`, which commits it later.
        self._release = release

    def commit(self) -> None:
        held = _HELD.get()
        if held is not None and self._release is not None:
            held.hold(self, self._release())
            return
        self.commit_now()

    def commit_now(self) -> None:
        try:
            self._transaction.commit()
        except DBAPIError as error:
            if error.connection_invalidated:
                raise CommitUncertain(str(error)) from error
            raise


class HeldCommit:
    """The write transaction of one request, committed only when its caller says so.

    Within `holding_commit()`, a write transaction's `commit()` does not commit: the
    transaction stays open, with its connection and locks, so that the caller can add to it
    what must be saved with the change and nothing else — an idempotency key's answer
    (api/idempotency.py) — and then commit both at once, or roll both back. Every unit of
    work the request runs after that, reading or writing, joins the held transaction (as a
    savepoint): it reads what the request wrote, and its writes commit with the rest.
    """

    def __init__(self) -> None:
        self.transaction: Transaction | None = None
        self._resources: ExitStack | None = None

    @property
    def connection(self) -> Connection | None:
        return self.transaction.repo.connection if self.transaction is not None else None

    def hold(self, transaction: Transaction, resources: ExitStack) -> None:
        self.commit()
        self.transaction, self._resources = transaction, resources

    def commit(self) -> None:
        """Commit what is held (nothing if nothing is)."""
        if self.transaction is None:
            return
        try:
            self.transaction.commit_now()
        finally:
            self._close()

    def rollback(self) -> None:
        self._close()

    def _close(self) -> None:
        resources, self.transaction, self._resources = self._resources, None, None
        if resources is not None:
            resources.close()


_HELD: ContextVar[HeldCommit | None] = ContextVar("recruitflow_held_commit", default=None)


@contextmanager
def holding_commit() -> Iterator[HeldCommit]:
    """Hold the commit of the write transactions run inside (see `HeldCommit`); whatever is
    still held on leaving is rolled back, never committed by accident."""
    held = HeldCommit()
    token = _HELD.set(held)
    try:
        yield held
    finally:
        _HELD.reset(token)
        held.rollback()


def _held_connection() -> Connection | None:
    """The connection of the request's held transaction, which later units of work join."""
    held = _HELD.get()
    return held.connection if held is not None else None


def _savepoint(connection: Connection, resources: ExitStack):
    savepoint = connection.begin_nested()
    resources.callback(_rollback_if_active, savepoint)
    return savepoint


def _rollback_if_active(transaction: RootTransaction) -> None:
    if transaction.is_active:
        transaction.rollback()


class Change:
    """A change to one dossier: read it, judge it, then write what follows, on one connection.

    Between `read()` and `write()` nothing may be assumed locked: the write must be
    conditional on what was read (the dossier's version), and raise a conflict otherwise.
    PostgreSQL runs both in one transaction with the dossier's row locked from the read on,
    so that writers to one dossier queue instead of conflicting. SQLite admits one writer at a
    time for the whole database: the read runs in a snapshot of its own and the write lock is
    taken for the write alone, so that one request's judging does not hold up every other
    writer. An `exclusive` change takes SQLite's write lock from the read on instead: it
    cannot conflict, which is how a writer that lost a race is sure to get through.

    What the change holds (the connection, the write lock, the transaction) lives in one
    `ExitStack`, so that a held commit can take it all over.
    """

    def __init__(self, uow: UnitOfWork, connection: Connection, held: ExitStack, *,
                 exclusive: bool, joined: bool = False) -> None:
        self._uow = uow
        self._connection = connection
        # Joining a held transaction (see `HeldCommit`): a savepoint, the lock already held.
        self._joined = joined
        self._one_transaction = exclusive or joined or connection.dialect.name != "sqlite"
        self._root: RootTransaction | None = None
        self._held = held
        # One repository for both steps: it remembers the chain head read with the dossier.
        self.repo = Repository(connection)

    def _begin_writing(self):
        if self._joined:
            return _savepoint(self._connection, self._held)
        self._held.enter_context(self._uow.write_turn)
        root = begin_writing(self._connection)
        self._held.callback(_rollback_if_active, root)
        return root

    @contextmanager
    def read(self) -> Iterator[Repository]:
        if self._one_transaction:
            self._root = self._begin_writing()
            yield self.repo
            return
        root = self._connection.begin()
        try:
            yield self.repo
        finally:
            root.rollback()

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        if self._one_transaction:
            if self._root is None:
                raise RuntimeError("write() before read()")
            root = self._root
        else:
            root = self._begin_writing()
        yield Transaction(self._connection, root, self.repo,
                          release=None if self._joined else self._held.pop_all)


class UnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)
        # SQLite admits one writer at a time and makes the others poll, sleeping up to 100 ms
        # between tries: the threads of one process queue on a lock instead, and are woken
        # as soon as it is free. Other processes still take turns through SQLite's lock.
        self.write_turn: AbstractContextManager = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Transaction]:
        """Nothing is saved by accident: leaving the block without `commit()` rolls back."""
        with ExitStack() as held:
            joined = _held_connection()
            if joined is not None:
                yield Transaction(joined, _savepoint(joined, held))
                return
            if write:
                held.enter_context(self.write_turn)
            connection = held.enter_context((self._writer if write else self.engine).connect())
            root = connection.begin()
            held.callback(_rollback_if_active, root)
            yield Transaction(connection, root, release=held.pop_all if write else None)

    @contextmanager
    def change(self, *, exclusive: bool = False) -> Iterator[Change]:
        """A read-judge-write change (see `Change`); rolled back unless committed."""
        with ExitStack() as held:
            joined = _held_connection()
            if joined is not None:
                yield Change(self, joined, held, exclusive=exclusive, joined=True)
                return
            connection = held.enter_context(self.engine.connect())
            yield Change(self, connection, held, exclusive=exclusive)
