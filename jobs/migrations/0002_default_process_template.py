from django.db import migrations

DEFAULT_STAGES = [
    ("Prospect", "prospect"),
    ("Application", "application"),
    ("Screen", "screening"),
    ("Interview", "interview"),
    ("Offer", "offer"),
    ("Hired", "hired"),
]


def create_default_template(apps, schema_editor):
    ProcessTemplate = apps.get_model("jobs", "ProcessTemplate")
    TemplateStage = apps.get_model("jobs", "TemplateStage")
    if ProcessTemplate.objects.filter(is_default=True).exists():
        return
    template = ProcessTemplate.objects.create(
        name="Default process",
        description="Prospect, Application, Screen, Interview, Offer, Hired.",
        is_default=True,
    )
    TemplateStage.objects.bulk_create(
        TemplateStage(template=template, name=name, kind=kind, position=index)
        for index, (name, kind) in enumerate(DEFAULT_STAGES)
    )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]
    operations = [migrations.RunPython(create_default_template, migrations.RunPython.noop)]
