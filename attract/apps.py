from django.apps import AppConfig


class AttractConfig(AppConfig):
    name = "attract"
    verbose_name = "Attract core"
