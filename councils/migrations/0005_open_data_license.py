from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0004_record_kept_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='municipality',
            name='open_data_license',
            field=models.URLField(blank=True, default='https://creativecommons.org/publicdomain/zero/1.0/', help_text='Licensen för det som kommunens råd och nämnder publicerar som öppna data (API och nedladdning), som en adress. Tom betyder CC0, som inte begränsar någon användning.', verbose_name='licens för öppna data'),
        ),
    ]
