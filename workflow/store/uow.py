"""The unit of work: one database transaction, rolled back unless explicitly committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Transaction]:
        """Nothing is saved by accident: leaving the block without `commit()` rolls back."""
        with (self._writer if write else self.engine).connect() as connection:
            root = connection.begin()
            try:
                yield Transaction(connection, root)
            finally:
                if root.is_active:
                    root.rollback()
