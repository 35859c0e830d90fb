from django.db import migrations, models


class Migration(migrations.Migration):
    """InMail history, Recruiter notes and InMail stubs pulled from LinkedIn, with watermarks."""

    dependencies = [("linkedin", "0004_sync")]
    operations: list = [
        migrations.CreateModel(
            name="InMailEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.CharField(max_length=100, unique=True)),
                ("seat_urn", models.CharField(db_index=True, max_length=100)),
                ("member_urn", models.CharField(db_index=True, max_length=100)),
                (
                    "direction",
                    models.CharField(
                        choices=[("SENT", "Sent"), ("RECEIVED", "Received")], max_length=16
                    ),
                ),
                ("conversation", models.CharField(max_length=200)),
                ("subject", models.CharField(blank=True, max_length=500)),
                ("body", models.TextField(blank=True)),
                ("occurred_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["-occurred_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="MailStub",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stub_id", models.CharField(max_length=100, unique=True)),
                ("seat_urn", models.CharField(max_length=100)),
                ("member_urn", models.CharField(db_index=True, max_length=100)),
                ("created_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="ProspectNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note_id", models.CharField(max_length=100, unique=True)),
                ("seat_urn", models.CharField(db_index=True, max_length=100)),
                ("member_urn", models.CharField(db_index=True, max_length=100)),
                ("text", models.TextField()),
                (
                    "visibility",
                    models.CharField(
                        choices=[("PUBLIC", "Public"), ("PRIVATE", "Private")],
                        default="PRIVATE",
                        max_length=16,
                    ),
                ),
                ("updated_at", models.DateTimeField()),
                ("active", models.BooleanField(default=True)),
            ],
            options={
                "ordering": ["-updated_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ProspectWatermark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seat_urn", models.CharField(max_length=100)),
                (
                    "flow",
                    models.CharField(
                        choices=[
                            ("events", "InMail history"),
                            ("notes", "Notes history"),
                            ("stubs", "InMail stubs"),
                        ],
                        max_length=16,
                    ),
                ),
                ("until_ms", models.BigIntegerField()),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("seat_urn", "flow"), name="prospect_watermark_unique"
                    )
                ],
            },
        ),
    ]
