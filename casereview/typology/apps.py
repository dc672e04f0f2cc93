from django.apps import AppConfig


class TypologyConfig(AppConfig):
    name = "casereview.typology"
    verbose_name = "Learning typology"
