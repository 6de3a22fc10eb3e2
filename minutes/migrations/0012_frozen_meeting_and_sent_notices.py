"""What the approved record says about its meeting is frozen with it, approved minutes stay
approved, and a sent notice is insert-only: the database refuses otherwise, whatever writes
(see ``minutes.db_triggers.record_guards``). A correction's draft lets the meeting change."""

from django.db import migrations

from minutes.db_triggers import record_drop_statements, record_statements


def create(apps, schema_editor):
    for statement in record_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in record_drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0011_notice_deliveries")]
    operations = [migrations.RunPython(create, drop)]
