"""The delivery of each notice e-mail (issue 17): pending, sending, sent or failed, with the
attempts, the last error and when the next attempt is due. Recipients e-mailed before are sent
after one attempt."""

from django.db import migrations, models


def sent_before(apps, schema_editor):
    recipient = apps.get_model("minutes", "NoticeRecipient")
    recipient.objects.filter(emailed_at__isnull=False).update(delivery="sent", attempts=1)


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0010_notice_pdfs"),
    ]

    operations = [
        migrations.AddField(
            model_name="noticerecipient",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="försök"),
        ),
        migrations.AddField(
            model_name="noticerecipient",
            name="delivery",
            field=models.CharField(
                choices=[
                    ("pending", "väntar"),
                    ("sending", "skickas"),
                    ("sent", "skickad"),
                    ("failed", "misslyckades"),
                ],
                default="pending",
                max_length=10,
                verbose_name="leverans",
            ),
        ),
        migrations.AddField(
            model_name="noticerecipient",
            name="last_error",
            field=models.CharField(blank=True, max_length=500, verbose_name="senaste fel"),
        ),
        migrations.AddField(
            model_name="noticerecipient",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="nästa försök"),
        ),
        migrations.RunPython(sent_before, migrations.RunPython.noop),
    ]
