"""The unit of work: one database transaction, rolled back unless explicitly committed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext

from sqlalchemy import Connection, Engine, RootTransaction

from workflow.store.database import begin_writing, writer
from workflow.store.repository import Repository


class Transaction:
    def __init__(self, connection: Connection, transaction: RootTransaction,
                 repo: Repository | None = None) -> None:
        self.repo = repo or Repository(connection)
        self._transaction = transaction

    def commit(self) -> None:
        self._transaction.commit()


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
    """

    def __init__(self, uow: UnitOfWork, connection: Connection, *, exclusive: bool) -> None:
        self._uow = uow
        self._connection = connection
        self._one_transaction = exclusive or connection.dialect.name != "sqlite"
        self._root: RootTransaction | None = None
        self._held = ExitStack()
        # One repository for both steps: it remembers the chain head read with the dossier.
        self.repo = Repository(connection)

    @contextmanager
    def read(self) -> Iterator[Repository]:
        if self._one_transaction:
            self._held.enter_context(self._uow.write_turn)
            self._root = begin_writing(self._connection)
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
            yield Transaction(self._connection, self._root, self.repo)
            return
        with self._uow.write_turn:
            root = begin_writing(self._connection)
            try:
                yield Transaction(self._connection, root, self.repo)
            finally:
                if root.is_active:
                    root.rollback()

    def close(self) -> None:
        try:
            if self._root is not None and self._root.is_active:
                self._root.rollback()
        finally:
            self._held.close()


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
        with (self.write_turn if write else nullcontext()), \
                (self._writer if write else self.engine).connect() as connection:
            root = connection.begin()
            try:
                yield Transaction(connection, root)
            finally:
                if root.is_active:
                    root.rollback()

    @contextmanager
    def change(self, *, exclusive: bool = False) -> Iterator[Change]:
        """A read-judge-write change (see `Change`); rolled back unless committed."""
        with self.engine.connect() as connection:
            change = Change(self, connection, exclusive=exclusive)
            try:
                yield change
            finally:
                change.close()
