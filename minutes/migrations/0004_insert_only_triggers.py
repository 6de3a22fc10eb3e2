"""The approved record is insert-only: the database itself refuses UPDATE and DELETE on approved
revisions and their signatures, whatever tries (a view, the admin, the ORM, raw SQL).

TRUNCATE is left to the database owner (restores and the test runner's flush use it)."""

from django.db import migrations

from minutes.db_triggers import approved_record_drop_statements, approved_record_statements


def create(apps, schema_editor):
    for statement in approved_record_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in approved_record_drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0003_approval")]
    operations = [migrations.RunPython(create, drop)]
