"""Database triggers that make approved revisions and their signatures insert-only.

Used by migration 0004, and by the test suite on SQLite, whose flush between transactional
tests deletes rows (PostgreSQL's flush truncates, which row triggers do not see).

A later migration that alters these tables must run ``create_statements`` again on SQLite:
SQLite alters a table by copying it to a new one, and the triggers go with the old table.
"""

from __future__ import annotations

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


def create_statements(vendor: str) -> list[str]:
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


def drop_statements(vendor: str) -> list[str]:
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
