from django.db import migrations


def create_linkedin_pool(apps, schema_editor):
    TalentPool = apps.get_model("talentpools", "TalentPool")
    TalentPool.objects.get_or_create(
        system_key="linkedin",
        defaults={
            "name": "LinkedIn",
            "description": "Members who agreed to share their profile after an InMail (stubs).",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("talentpools", "0001_initial")]
    operations = [migrations.RunPython(create_linkedin_pool, migrations.RunPython.noop)]
