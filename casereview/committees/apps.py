from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "casereview.committees"
    verbose_name = "Committee meetings, agendas and quorum"
