"""The floor: what a transition costs with nothing but Flask and the database driver.

The same gunicorn settings and worker count as `recruitflow serve`, the same URLs and bodies
as the service's transitions and records, and per request the raw SQL a transition needs: read
the row (locked on PostgreSQL, as the service does), update its state and version on the
condition that the version is unchanged, insert the log row, commit. No authentication, no
rules, no schema validation, no dossier in the answer: whatever the service spends beyond
this is the price of its layers.

    RECRUITFLOW_DATABASE_URL=... python -m bench.floor --port 8001 --workers 2 --threads 4
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, jsonify, request
from sqlalchemy.engine import make_url

from api.server import WsgiServer, options

# The two triggers of the load, as (from, to); records keep the state.
FLIPS = {"designate_candidate": ("activist", "training"),
         "return_to_activist": ("training", "activist")}

INSERT_ENTRY = (
    "INSERT INTO audit_entries (dossier_id, seq, kind, action, from_state, to_state, "
    "effective_date, payload, actor_id, actor_name, actor_role, recorded_at, request_id, "
    "rulebook_id, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


class Database:
    """One DBAPI connection per thread, as a pool would hand out."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        self.target = parsed.database if self.sqlite else \
            parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self.local = threading.local()
        # As the service's unit of work does on SQLite: one writer thread at a time per process.
        self.write_turn = threading.Lock() if self.sqlite else contextlib.nullcontext()

    def connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            if self.sqlite:
                connection = sqlite3.connect(self.target, isolation_level=None,
                                             check_same_thread=False, timeout=30)
                for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                               "busy_timeout=30000"):
                    connection.execute(f"PRAGMA {pragma}")
            else:
                import psycopg

                connection = psycopg.connect(self.target, autocommit=True)
            self.local.connection = connection
        return connection

    def sql(self, statement: str) -> str:
        return statement.replace("%s", "?") if self.sqlite else statement

    def in_transaction(self, connection) -> bool:
        if self.sqlite:
            return connection.in_transaction
        from psycopg.pq import TransactionStatus

        return connection.info.transaction_status != TransactionStatus.IDLE

    def value(self, v: Any) -> Any:
        # SQLite stores what SQLAlchemy would: ISO dates, naive UTC datetimes.
        if self.sqlite and isinstance(v, datetime):
            return v.replace(tzinfo=None).isoformat(" ", "microseconds")
        if self.sqlite and isinstance(v, date):
            return v.isoformat()
        return v


def create_app(url: str) -> Flask:
    app = Flask(__name__)
    db = Database(url)

    def act(dossier_id: int, trigger: str | None, record: str | None):
        with db.write_turn:
            return write(dossier_id, trigger, record)

    def write(dossier_id: int, trigger: str | None, record: str | None):
        body = request.get_json()
        on = date.fromisoformat(body.pop("effective_date", None) or body.pop("date"))
        body.pop("trigger", None)
        body.pop("type", None)
        connection = db.connection()
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE" if db.sqlite else "BEGIN")
        try:
            lock = "" if db.sqlite else " FOR UPDATE"
            row = cursor.execute(
                db.sql(f"SELECT state, version FROM dossiers WHERE id = %s{lock}"),
                (dossier_id,),
            ).fetchone()
            if row is None:
                return jsonify(error="not_found"), 404
            state, version = row
            to_state = state
            if trigger is not None:
                source, to_state = FLIPS.get(trigger, (None, None))
                if state != source:
                    return jsonify(error="invalid_transition"), 409
            now = datetime.now(tz=UTC)
            candidate_on = on if to_state == "training" else None
            changed = cursor.execute(
                db.sql("UPDATE dossiers SET state = %s, version = %s, last_effective_on = %s, "
                       "candidate_on = %s, updated_at = %s WHERE id = %s AND version = %s"),
                (to_state, version + 1, db.value(on), db.value(candidate_on), db.value(now),
                 dossier_id, version),
            ).rowcount
            if changed != 1:
                return jsonify(error="conflict"), 409
            # The service chains each entry to the previous one: so does the floor, with the
            # same read and a SHA-256 over the same fields, by hand.
            prev_hash = cursor.execute(
                db.sql("SELECT hash FROM audit_entries WHERE dossier_id = %s AND seq = %s"),
                (dossier_id, version),
            ).fetchone()[0]
            kind, payload = "record" if record else "transition", json.dumps(body)
            fields = [dossier_id, kind, record or trigger, state, to_state, on.isoformat(),
                      body, 0, "floor", "branch", now.isoformat(), None, "2014", prev_hash]
            entry_hash = hashlib.sha256(
                json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
            cursor.execute(db.sql(INSERT_ENTRY), (
                dossier_id, version + 1, kind, record or trigger, state, to_state,
                db.value(on), payload, 0, "floor", "branch", db.value(now), None, "2014",
                prev_hash, entry_hash,
            ))
            cursor.execute("COMMIT")
        finally:
            if db.in_transaction(connection):
                cursor.execute("ROLLBACK")
        answer = {"id": dossier_id, "state": to_state, "version": version + 1}
        return jsonify(answer), 201 if record else 200

    @app.post("/api/v1/applicants/<int:dossier_id>/transitions")
    def transition(dossier_id: int):
        return act(dossier_id, request.get_json()["trigger"], None)

    @app.post("/api/v1/applicants/<int:dossier_id>/records")
    def record(dossier_id: int):
        return act(dossier_id, None, request.get_json()["type"])

    @app.get("/api/v1/publicity")
    def ready():
        return jsonify(items=[], total=0)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    url = os.environ["RECRUITFLOW_DATABASE_URL"]
    WsgiServer(lambda: create_app(url), options(host=args.host, port=args.port,
                                                 workers=args.workers,
                                                 threads=args.threads)).run()


if __name__ == "__main__":
    main()
