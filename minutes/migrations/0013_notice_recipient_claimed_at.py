"""When a notice e-mail was claimed for sending (issue 17): a claim whose end nobody recorded
(a worker killed mid-send) is found by its age and failed as unknown, never sent again.

A nullable column without a default: SQLite adds it with ALTER TABLE, without copying the table,
and no guard (``minutes.db_triggers``) is on minutes_noticerecipient anyway."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0012_frozen_meeting_and_sent_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="noticerecipient",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="påbörjad"),
        ),
    ]
