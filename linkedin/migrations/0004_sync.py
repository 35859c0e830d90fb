from django.db import migrations


class Migration(migrations.Migration):
    """In-ATS sync outbox and 1-click export records (issue: Recruiter System Connect data flows)."""

    dependencies = [("linkedin", "0003_feed")]
    operations: list = []
