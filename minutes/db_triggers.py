"""Database triggers that guard the approved record: approved revisions and their signatures are
insert-only (migration 0004); approved minutes stay approved, the meeting they record keeps its
date, times, place and council while its newest minutes are approved, and a sent notice is
insert-only (migration 0012).

``create_statements`` and ``drop_statements`` give every guard, the audit log's
(``core.db_triggers``) too: the test suite runs them on SQLite, whose flush between transactional
tests deletes rows (PostgreSQL's flush truncates, which row triggers do not see).

A later migration that alters these tables must create their guards again on SQLite: SQLite
alters a table by copying it to a new one, and the triggers go with the old table.
"""

from __future__ import annotations

from core import db_triggers as core_triggers
from core.db_triggers import Guard, changed

TABLES = ("minutes_approvedrevision", "minutes_signature")
MESSAGE = "approved minutes are insert-only"

# "%%" because Django's PostgreSQL schema editor formats statements with parameters.
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION protokollet_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: %% on %% refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def approved_record_statements(vendor: str) -> list[str]:
    """Migration 0004: approved revisions and signatures refuse UPDATE and DELETE."""
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [
            f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION protokollet_refuse_change()"
            for table in TABLES
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} on {table} refused'); END"
            for table in TABLES
            for op in ("UPDATE", "DELETE")
        ]
    raise RuntimeError(f"no insert-only trigger for database vendor {vendor!r}")


def approved_record_drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}" for table in TABLES] + [
            "DROP FUNCTION IF EXISTS protokollet_refuse_change()"
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{op}"
            for table in TABLES
            for op in ("update", "delete")
        ]
    return []


# What the approved record says about its meeting (the snapshot's header and the PDF's name).
FROZEN_MEETING_COLUMNS = ("date", "start_time", "end_time", "place", "council_id")
_LATEST_STATUS = (
    "(SELECT mi.status FROM minutes_minutes mi WHERE mi.meeting_id = OLD.id "
    "ORDER BY mi.revision DESC LIMIT 1)"
)
NOTICE_KEPT = ("id", "meeting_id", "number", "snapshot", "changes", "sent_at")
NOTICE_PDF = ("pdf_name", "pdf_sha256", "pdf_size", "internal_pdf_name", "internal_pdf_sha256")


def record_guards(vendor: str) -> list[Guard]:
    """Migration 0012.

    - A meeting whose newest minutes are approved keeps its date, times, place and council.
      A correction changes them: its draft is then the newest minutes, and while it is, they
      may change; its approval freezes them again with the new record.
    - Approved minutes stay approved, of their meeting and revision (a correction is new minutes).
    - A notice is sent when its row is written: no DELETE, and no UPDATE but a deleted user's
      ``sent_by`` becoming NULL and the PDFs of a notice stored without them (migration 0010)."""
    return [
        Guard(
            "minutes_meeting_frozen",
            "minutes_meeting",
            "UPDATE",
            "the meeting of approved minutes is frozen",
            f"{changed(vendor, *FROZEN_MEETING_COLUMNS)} AND {_LATEST_STATUS} = 'approved'",
        ),
        Guard(
            "minutes_minutes_approved_stay",
            "minutes_minutes",
            "UPDATE",
            "approved minutes stay approved",
            f"OLD.status = 'approved' AND {changed(vendor, 'status', 'meeting_id', 'revision')}",
        ),
        Guard(
            "minutes_notice_no_delete", "minutes_notice", "DELETE", "sent notices are insert-only"
        ),
        Guard(
            "minutes_notice_no_update",
            "minutes_notice",
            "UPDATE",
            "sent notices are insert-only",
            f"({changed(vendor, *NOTICE_KEPT)} "
            f"OR ({changed(vendor, 'sent_by_id')} AND NEW.sent_by_id IS NOT NULL) "
            f"OR ({changed(vendor, *NOTICE_PDF)} AND OLD.pdf_name <> ''))",
        ),
    ]


def record_statements(vendor: str) -> list[str]:
    return core_triggers.create(record_guards(vendor), vendor)


def record_drop_statements(vendor: str) -> list[str]:
    return core_triggers.drop(record_guards(vendor), vendor)


def lift_sqlite_record_guards(apps, schema_editor) -> None:
    """For a migration that alters a guarded table (RunPython, before the change): SQLite
    alters a table by copying it to a new one, and the renaming refuses while a guard names the
    table; PostgreSQL alters in place and keeps its guards."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in record_drop_statements("sqlite"):
            schema_editor.execute(statement)


def restore_sqlite_record_guards(apps, schema_editor) -> None:
    """The guards :func:`lift_sqlite_record_guards` lifted, created again after the change."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in record_statements("sqlite"):
            schema_editor.execute(statement)


# Migration 0019: what the justering leaves is insert-only.
JUSTERING_TABLES = ("minutes_adjustmentsignature", "minutes_extract", "minutes_announcement")


def justering_guards(vendor: str) -> list[Guard]:
    """Migration 0019: the justerandes signatures, the extracts and the announcements on the
    anslagstavla refuse every UPDATE and DELETE."""
    return [
        Guard(f"{table}_no_{op.lower()}", table, op, f"{table[8:]} rows are insert-only")
        for table in JUSTERING_TABLES
        for op in ("UPDATE", "DELETE")
    ]


def justering_statements(vendor: str) -> list[str]:
    return core_triggers.create(justering_guards(vendor), vendor)


def justering_drop_statements(vendor: str) -> list[str]:
    return core_triggers.drop(justering_guards(vendor), vendor)


def create_statements(vendor: str) -> list[str]:
    """Every guard of the app and the audit log's, as the migrations leave them."""
    return (
        approved_record_statements(vendor)
        + record_statements(vendor)
        + justering_statements(vendor)
        + core_triggers.create_statements(vendor)
    )


def drop_statements(vendor: str) -> list[str]:
    return (
        approved_record_drop_statements(vendor)
        + record_drop_statements(vendor)
        + justering_drop_statements(vendor)
        + core_triggers.drop_statements(vendor)
    )
