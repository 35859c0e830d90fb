import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("linkedin", "0006_sync_history")]

    operations = [
        migrations.AlterField(
            model_name="outboxrow",
            name="operation",
            field=models.CharField(
                choices=[("upsert", "Create or update"), ("delete", "Delete")],
                default="upsert",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="feedfetch",
            name="fetched_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
    ]
