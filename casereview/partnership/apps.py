from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "casereview.partnership"
    verbose_name = "Partnership: boards, agencies, committees and people"

    def ready(self):
        from casereview.core import dashboard, search

        from .checklist import checklist_panel
        from .search import agency_search

        search.register("agencies", agency_search)
        from .waiting import expired_invitations

        dashboard.register_waiting(expired_invitations, key="partnership.expired_invitations")

        # First on the Business Manager's home page until the board is ready to run a case.
        dashboard.register(checklist_panel, order=1)
