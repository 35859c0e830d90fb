"""The career site's list: public jobs, newest first (jobs.public.public_job_list).

A partial index over the public rows only, in the list's order, so the first pages and the
count read a few index pages even with 10,000 active jobs (bench/bench_careers.py).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_default_process_template"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="job",
            index=models.Index(
                fields=["-activated_at", "-id"],
                name="job_public_list_idx",
                condition=models.Q(status="active", internal_only=False),
            ),
        ),
    ]
