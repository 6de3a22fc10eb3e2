"""The audit log is insert-only in the database too: no DELETE, and no UPDATE but the one a
deleted user's account makes (``actor`` becomes NULL; ``actor_name`` stays).

TRUNCATE is left to the database owner (restores and the test runner's flush use it)."""

from django.db import migrations

from core.db_triggers import create_statements, drop_statements


def create(apps, schema_editor):
    for statement in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_council")]
    operations = [migrations.RunPython(create, drop)]
