from django.apps import AppConfig


class TalentpoolsConfig(AppConfig):
    name = "talentpools"
    verbose_name = "Talent pools"
