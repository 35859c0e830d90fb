import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The full history sent once to LinkedIn, and the record of each prospect pull."""

    dependencies = [("linkedin", "0005_prospects")]

    operations: list = [
        migrations.AddField(
            model_name="syncsettings",
            name="history_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="syncsettings",
            name="history_queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="syncsettings",
            name="history_first_row",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="syncsettings",
            name="history_last_row",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="syncsettings",
            name="history_rows",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="PullRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("flow", models.CharField(max_length=16)),
                ("seat_urn", models.CharField(max_length=100)),
                ("finished_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("records_in", models.PositiveIntegerField(default=0)),
                ("error", models.CharField(blank=True, max_length=500)),
            ],
            options={
                "ordering": ["-finished_at", "-id"],
                "indexes": [
                    models.Index(fields=["finished_at", "flow"], name="pull_run_recent_idx")
                ],
            },
        ),
    ]
