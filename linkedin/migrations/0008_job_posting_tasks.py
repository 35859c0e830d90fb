import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_career_list_index"),
        ("linkedin", "0007_feedfetch_time_outbox_default"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobPostingTask",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("task_urn", models.CharField(max_length=200, unique=True)),
                (
                    "operation",
                    models.CharField(
                        choices=[("CREATE", "Create"), ("UPDATE", "Update"), ("CLOSE", "Close")],
                        max_length=8,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("in_progress", "Waiting for LinkedIn"),
                            ("succeeded", "Synced"),
                            ("failed", "Refused by LinkedIn"),
                            ("processed", "Processed by LinkedIn"),
                            ("expired", "No answer from LinkedIn"),
                        ],
                        default="in_progress",
                        max_length=12,
                    ),
                ),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("checked_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("job_posting_urn", models.CharField(blank=True, max_length=100)),
                ("error_message", models.CharField(blank=True, max_length=1000)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="linkedin_tasks",
                        to="jobs.job",
                    ),
                ),
            ],
            options={
                "ordering": ["-submitted_at", "-id"],
                "indexes": [
                    models.Index(fields=["status", "submitted_at"], name="job_task_poll_idx"),
                    models.Index(
                        fields=["job", "-submitted_at", "-id"], name="job_task_latest_idx"
                    ),
                ],
            },
        ),
    ]
