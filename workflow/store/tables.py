"""The database schema (SQLAlchemy Core). Migrations in `migrations/` are generated from it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

# Deterministic constraint names, so that migrations name the same thing on every database.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = BigInteger().with_variant(Integer(), "sqlite")

organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent_id", Integer, ForeignKey("organizations.id"), nullable=True),
    # Materialised path ("/1/4/"): a subtree is a prefix match, served by an index.
    Column("path", String(400), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Where the public raises an objection to a publicity (a committee's; shown on the page).
    Column("objection_phone", String(40)),
    Column("objection_email", String(200)),
    Column("objection_address", String(400)),
    CheckConstraint("kind IN ('committee', 'branch')", name="kind"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    # NULL only for administrators of the whole tree (the first one comes from the CLI).
    Column("organization_id", Integer, ForeignKey("organizations.id"), nullable=True),
    # SHA-256 of the bearer token: tokens are random, so a fast hash is enough.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Revocation (migration 0007, workflow.usecases.access): a deactivated user's token and
    # sessions stop; a token may expire; `credentials_stamp` is the `credentials` stamp of the
    # user's last change of credentials, which workers compare to forget whom they remember.
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("token_expires_at", DateTime(timezone=True)),
    Column("credentials_stamp", BigInteger, nullable=False, server_default="0"),
    Index("ix_users_credentials_stamp", "credentials_stamp"),
    # Sign-in to the web interface: a login name and an Argon2 hash of the password (the
    # encoded string carries its own salt and parameters). NULL: no web sign-in.
    Column("login", String(100), unique=True),
    Column("password_hash", String(255)),
    CheckConstraint("role IN ('branch', 'committee', 'auditor', 'admin')", name="role"),
)

# Failed sign-ins, by "login:NAME" and by "address:IP", so that repeated failures are slowed
# down in every worker alike. Old rows are deleted as new ones are written.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_failures_key_failed_at", "key", "failed_at"),
)

dossiers = Table(
    "dossiers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("branch_id", Integer, ForeignKey("organizations.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("gender", String(8), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("applied_on", Date, nullable=False),
    Column("ethnicity", String(50)),
    Column("education", String(50)),
    Column("occupation", String(100)),
    Column("frontline", Boolean),
    Column("id_number", String(32)),
    Column("phone", String(32)),
    Column("state", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("last_effective_on", Date, nullable=False),
    Column("activist_on", Date),
    Column("candidate_on", Date),
    Column("publicity_started_on", Date),
    Column("voted_on", Date),
    Column("admitted_on", Date),
    Column("extension_months", SmallInteger, nullable=False, default=0),
    Column("conversion_voted_on", Date),
    Column("membership_on", Date),
    Column("closing_reason", Text),
    # The conversion meeting's motion awaiting the committee (workflow.domain.dossier).
    Column("motion", JSON),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The deadline index (workflow.domain.deadlines): a lower bound of the due dates of the
    # dossier's open deadlines, NULL when it has none; written with every change of the dossier.
    Column("next_due", Date),
    # A scope's lists and counts by state; with the last step's date and the id, its longest
    # waiting (the home page's 可推进) from the index alone.
    Index("ix_dossiers_branch_state", "branch_id", "state", "last_effective_on", "id"),
    Index("ix_dossiers_state", "state"),
    Index("ix_dossiers_name", "name"),
    # A scope's agenda: per branch, the dossiers with something due by a day.
    Index("ix_dossiers_branch_next_due", "branch_id", "next_due"),
    # A scope's admissions in a period (statistics).
    Index("ix_dossiers_branch_admitted_on", "branch_id", "admitted_on"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("branch_id", Integer, ForeignKey("organizations.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("full_on", Date),
    # Set for members admitted through this service: their dossier keeps them up to date.
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("status IN ('full', 'probationary', 'former')", name="status"),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    # The dossier's version after this entry: entries of a dossier are numbered 1, 2, 3…
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("action", String(40), nullable=False),
    Column("from_state", String(32)),
    Column("to_state", String(32), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("actor_id", Integer, nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(64)),
    Column("rulebook_id", String(40), nullable=False),
    # The revision of the rulebook the act was judged by (1 for every entry written before
    # revisions were named, migration 0006).
    Column("revision", SmallInteger, nullable=False, server_default="1"),
    # The hash chain (workflow.domain.audit); the database refuses UPDATE and DELETE on this table
    # (triggers installed by migration 0002, see workflow.store.append_only).
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("dossier_id", "seq", name="uq_audit_entries_dossier_seq"),
    CheckConstraint("kind IN ('create', 'transition', 'record')", name="kind"),
    Index("ix_audit_entries_recorded_at", "recorded_at"),
    # Auditors' filters, each ending in the id so that keyset pages read the index in order.
    Index("ix_audit_entries_actor_id", "actor_id", "id"),
    Index("ix_audit_entries_action_id", "action", "id"),
    Index("ix_audit_entries_effective_date", "effective_date"),
    # Who was admitted (or converted) in a period: one range of one action, not a scan of
    # every entry of the period (stats at a million dossiers).
    Index("ix_audit_entries_action_date", "action", "effective_date"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    # NULL while the first request with this key is being processed.
    Column("status_code", Integer),
    Column("response", Text),
    Column("location", String(400)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The request holding the reservation (api.idempotency); its lease runs from created_at.
    Column("holder", String(32)),
    PrimaryKeyConstraint("user_id", "key"),
)

# Named counters that only grow: `credentials` with every revocation (migration 0007).
stamps = Table(
    "stamps",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Official holiday tables loaded by an administrator (`recruitflow calendar load`); they take
# precedence over the chinese-calendar package. `revision` grows with every load, so that each
# worker process sees a new table by comparing one number.
calendar_years = Table(
    "calendar_years",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("holidays", JSON, nullable=False),
    Column("workdays", JSON, nullable=False),
    Column("source", String(400), nullable=False),
    Column("revision", Integer, nullable=False, unique=True),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)

# Indexes derived from the domain's rules rather than stored facts (the agenda's `next_due`):
# what each was built with, so that a reader trusts one only when it matches the running
# configuration. No row, or a NULL fingerprint, means not built.
derived_indexes = Table(
    "derived_indexes",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("fingerprint", String(64)),
    Column("built_at", DateTime(timezone=True)),
)

# A user's secret calendar URL (the agenda as iCalendar); only its hash is kept.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True,
           autoincrement=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
