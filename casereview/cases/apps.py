from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "casereview.cases"

    def ready(self):
        from casereview.core import search

        from .search import case_search

        search.register("cases", case_search)
