from django.db import migrations

REASONS = [
    "Not enough experience",
    "Skills do not match the role",
    "Salary expectations too high",
    "Not available in time",
    "Position filled by another candidate",
    "Candidate declined",
    "Did not attend the interview",
]


def create_reasons(apps, schema_editor):
    RejectionReason = apps.get_model("candidates", "RejectionReason")
    for position, name in enumerate(REASONS):
        RejectionReason.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial")]
    operations = [migrations.RunPython(create_reasons, migrations.RunPython.noop)]
