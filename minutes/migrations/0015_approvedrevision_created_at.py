"""When each approved revision was archived here (``created_at``), beside when it was approved
(``approved_at``): minutes approved on paper and imported later carry their old approval date,
and what reads the archive by change (the feeds' Last-Modified, later OParl's ``created``) needs
the day they arrived. Rows archived before this migration get their approval time.

The insert-only guard on approved revisions is lifted for the backfill and created again after;
on SQLite every guard is (a changed table is copied to a new one, and the guards go with the
old one)."""

from django.db import migrations, models
from django.utils import timezone

from core import db_triggers as core_triggers
from minutes import db_triggers

PG_TRIGGER = "minutes_approvedrevision_insert_only"


# the guards as they stood at this migration (later migrations guard tables that do not exist yet)
def create_statements(vendor):
    return (
        db_triggers.approved_record_statements(vendor)
        + db_triggers.record_statements(vendor)
        + core_triggers.create_statements(vendor)
    )


def drop_statements(vendor):
    return (
        db_triggers.approved_record_drop_statements(vendor)
        + db_triggers.record_drop_statements(vendor)
        + core_triggers.drop_statements(vendor)
    )


def lift_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON minutes_approvedrevision")
    elif vendor == "sqlite":
        for statement in drop_statements("sqlite"):
            schema_editor.execute(statement)


def guards_again(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE ON minutes_approvedrevision "
            "FOR EACH ROW EXECUTE FUNCTION protokollet_refuse_change()"
        )
    elif vendor == "sqlite":
        for statement in create_statements("sqlite"):
            schema_editor.execute(statement)


def archived_when_approved(apps, schema_editor):
    ApprovedRevision = apps.get_model("minutes", "ApprovedRevision")
    ApprovedRevision.objects.update(created_at=models.F("approved_at"))


class Migration(migrations.Migration):
    # the audit log's guards are lifted and laid again here too: core's migrations come first
    dependencies = [
        ("minutes", "0014_correction_meeting_fields"),
        ("core", "0003_audit_insert_only"),
    ]
    operations = [
        migrations.RunPython(lift_guards, guards_again),
        migrations.AddField(
            model_name="approvedrevision",
            name="created_at",
            field=models.DateTimeField(
                default=timezone.now, editable=False, verbose_name="arkiverad"
            ),
        ),
        migrations.RunPython(archived_when_approved, migrations.RunPython.noop),
        migrations.RunPython(guards_again, lift_guards),
    ]
