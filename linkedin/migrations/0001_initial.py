from django.db import migrations


class Migration(migrations.Migration):
    """The LinkedIn app's starting point; the feed and Recruiter System Connect build on it."""

    initial = True
    dependencies = [
        ("jobs", "0002_default_process_template"),
        ("attract", "0003_notifications_and_api_tokens"),
    ]
    operations: list = []
