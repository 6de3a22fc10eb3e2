"""A correction's draft keeps the date, times and place it proposes for its meeting, which
become the meeting's when the correction is approved (until then the public pages keep the
approved record's).

SQLite alters ``minutes_minutes`` by copying it to a new table: the guards on it go with the old
table, and the renaming refuses while the meeting's guard names the table. The guards are lifted
before and created again after, either way."""

from django.db import migrations, models

from minutes.db_triggers import lift_sqlite_record_guards, restore_sqlite_record_guards


class Migration(migrations.Migration):
    dependencies = [("minutes", "0013_notice_recipient_claimed_at")]
    operations = [
        migrations.RunPython(lift_sqlite_record_guards, restore_sqlite_record_guards),
        migrations.AddField(
            model_name="minutes",
            name="proposed_date",
            field=models.DateField(blank=True, null=True, verbose_name="rättat datum"),
        ),
        migrations.AddField(
            model_name="minutes",
            name="proposed_start_time",
            field=models.TimeField(blank=True, null=True, verbose_name="rättad starttid"),
        ),
        migrations.AddField(
            model_name="minutes",
            name="proposed_end_time",
            field=models.TimeField(blank=True, null=True, verbose_name="rättad sluttid"),
        ),
        migrations.AddField(
            model_name="minutes",
            name="proposed_place",
            field=models.CharField(blank=True, max_length=150, verbose_name="rättad plats"),
        ),
        migrations.RunPython(restore_sqlite_record_guards, lift_sqlite_record_guards),
    ]
