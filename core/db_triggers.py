"""Row guards in the database: triggers that refuse an UPDATE or DELETE of a row, always or
when a condition on ``OLD``/``NEW`` holds, on PostgreSQL and SQLite alike. They stand whatever
writes (a view, the admin, the ORM, raw SQL); TRUNCATE is left to the database owner.

The audit log is insert-only here; ``minutes.db_triggers`` guards the approved record.

SQLite alters a table by copying it to a new one and the triggers go with the old table: a later
migration that alters a guarded table there must create its guards again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Guard:
    name: str  # the trigger's (and on PostgreSQL its function's) name
    table: str
    operation: str  # "UPDATE" or "DELETE"
    message: str  # English, for logs; ASCII without quotes
    # SQL on OLD and NEW under which the operation is refused, in the vendor's dialect (see
    # ``changed``); empty: always. It may hold subqueries.
    when: str = ""


def changed(vendor: str, *columns: str) -> str:
    """SQL that is true when any of ``columns`` differs between OLD and NEW (NULLs compare)."""
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return "(" + " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in columns) + ")"


def create(guards: list[Guard], vendor: str) -> list[str]:
    statements: list[str] = []
    for guard in guards:
        if vendor == "postgresql":
            # "%%" because Django's PostgreSQL schema editor formats statements with parameters
            refuse = (
                f"RAISE EXCEPTION '{guard.message}: %% on %% refused', TG_OP, TG_TABLE_NAME "
                "USING ERRCODE = 'integrity_constraint_violation';"
            )
            if guard.when:
                refuse = f"IF {guard.when} THEN {refuse} END IF;"
            back = "OLD" if guard.operation == "DELETE" else "NEW"
            statements += [
                f"CREATE OR REPLACE FUNCTION {guard.name}() RETURNS trigger AS $$ "
                f"BEGIN {refuse} RETURN {back}; END; $$ LANGUAGE plpgsql",
                f"DROP TRIGGER IF EXISTS {guard.name} ON {guard.table}",
                f"CREATE TRIGGER {guard.name} BEFORE {guard.operation} ON {guard.table} "
                f"FOR EACH ROW EXECUTE FUNCTION {guard.name}()",
            ]
        elif vendor == "sqlite":
            when = f" WHEN {guard.when}" if guard.when else ""
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {guard.name} BEFORE {guard.operation} "
                f"ON {guard.table}{when} BEGIN SELECT RAISE(ABORT, "
                f"'{guard.message}: {guard.operation} on {guard.table} refused'); END"
            )
        else:
            raise RuntimeError(f"no row guard for database vendor {vendor!r}")
    return statements


def drop(guards: list[Guard], vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            statement
            for guard in guards
            for statement in (
                f"DROP TRIGGER IF EXISTS {guard.name} ON {guard.table}",
                f"DROP FUNCTION IF EXISTS {guard.name}()",
            )
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {guard.name}" for guard in guards]
    return []


AUDIT_TABLE = "core_auditevent"
AUDIT_MESSAGE = "the audit log is insert-only"
# Every column but actor_id, which becomes NULL when the user is deleted (actor_name stays).
AUDIT_KEPT = (
    "id",
    "created_at",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "council_name",
    "ip_address",
    "data",
)


def audit_guards(vendor: str) -> list[Guard]:
    """The audit log: no DELETE, and no UPDATE but the one a deleted user's account makes."""
    refused = (
        f"({changed(vendor, *AUDIT_KEPT)} "
        f"OR ({changed(vendor, 'actor_id')} AND NEW.actor_id IS NOT NULL))"
    )
    return [
        Guard("core_auditevent_no_delete", AUDIT_TABLE, "DELETE", AUDIT_MESSAGE),
        Guard(
            "core_auditevent_no_update",
            AUDIT_TABLE,
            "UPDATE",
            AUDIT_MESSAGE,
            when=refused,
        ),
    ]


def create_statements(vendor: str) -> list[str]:
    return create(audit_guards(vendor), vendor)


def drop_statements(vendor: str) -> list[str]:
    return drop(audit_guards(vendor), vendor)
