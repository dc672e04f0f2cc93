from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "casereview.learning"
    verbose_name = "Learning summaries, typology, library, forums and audits"
