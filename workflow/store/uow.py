"""The unit of work: one database transaction, rolled back unless explicitly committed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Connection, Engine, RootTransaction

from workflow.store.database import writer
from workflow.store.repository import Repository


class Transaction:
    def __init__(self, connection: Connection, transaction: RootTransaction) -> None:
        self.repo = Repository(connection)
        self._transaction = transaction

    def commit(self) -> None:
        self._transaction.commit()


class UnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)
        # SQLite admits one writer at a time and makes the others poll, sleeping up to 100 ms
        # between tries: the threads of one process queue on a lock instead, and are woken
        # as soon as it is free. Other processes still take turns through SQLite's lock.
        self._write_turn: AbstractContextManager = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Transaction]:
        """Nothing is saved by accident: leaving the block without `commit()` rolls back."""
        with (self._write_turn if write else nullcontext()), \
                (self._writer if write else self.engine).connect() as connection:
            root = connection.begin()
            try:
                yield Transaction(connection, root)
            finally:
                if root.is_active:
                    root.rollback()
