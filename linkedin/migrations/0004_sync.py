import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """In-ATS sync outbox and 1-click export records (issue: Recruiter System Connect data flows)."""

    dependencies = [("linkedin", "0003_feed")]
    operations: list = [
        migrations.CreateModel(
            name="ExportRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("request_id", models.CharField(max_length=200, unique=True)),
                ("job_number", models.CharField(blank=True, max_length=200)),
                ("seat_urn", models.CharField(blank=True, max_length=100)),
                ("member_urn", models.CharField(blank=True, max_length=100)),
                (
                    "status",
                    models.CharField(
                        choices=[("imported", "Imported"), ("refused", "Refused")], max_length=16
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("application_pk", models.PositiveBigIntegerField(blank=True, null=True)),
                ("matched_on_linkedin", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["status", "-created_at"], name="export_status_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="OutboxRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "entity_type",
                    models.CharField(
                        choices=[
                            ("job", "Job"),
                            ("candidate", "Candidate"),
                            ("application", "Application"),
                            ("application_stage", "Application stage"),
                            ("note", "Note"),
                            ("feedback", "Interview feedback"),
                        ],
                        max_length=20,
                    ),
                ),
                ("entity_id", models.CharField(max_length=64)),
                (
                    "operation",
                    models.CharField(
                        choices=[("upsert", "Create or update"), ("delete", "Delete")], max_length=8
                    ),
                ),
                ("payload", models.JSONField(blank=True, default=dict)),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Pending"), ("done", "Done"), ("parked", "Parked")],
                        default="pending",
                        max_length=8,
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_error", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["id"],
                "indexes": [
                    models.Index(
                        fields=["status", "next_attempt_at", "id"], name="outbox_drain_idx"
                    ),
                    models.Index(fields=["entity_type", "entity_id"], name="outbox_entity_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="SyncSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "job_availability",
                    models.CharField(
                        choices=[
                            (
                                "PRIVATE_TO_ATS_INTEGRATION",
                                "Only in LinkedIn Recruiter (for 1-click export)",
                            ),
                            ("PUBLIC", "Also as a public job posting on LinkedIn"),
                        ],
                        default="PRIVATE_TO_ATS_INTEGRATION",
                        max_length=32,
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "LinkedIn sync settings",
            },
        ),
    ]
