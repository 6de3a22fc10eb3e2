"""The approved record is insert-only: the database itself refuses UPDATE and DELETE on approved
revisions and their signatures, whatever tries (a view, the admin, the ORM, raw SQL).

TRUNCATE is left to the database owner (restores and the test runner's flush use it)."""

from django.db import migrations

TABLES = ["minutes_approvedrevision", "minutes_signature"]
MESSAGE = "approved minutes are insert-only"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION protokollet_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: %% on %% refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(POSTGRES_FUNCTION)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION protokollet_refuse_change()"
            )
        elif vendor == "sqlite":
            for operation in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} on {table} refused'); END"
                )
        else:
            raise RuntimeError(f"no insert-only trigger for database vendor {vendor!r}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}")
        elif vendor == "sqlite":
            for operation in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS protokollet_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("minutes", "0003_approval")]
    operations = [migrations.RunPython(create, drop)]
