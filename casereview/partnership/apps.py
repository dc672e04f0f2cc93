from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "casereview.partnership"
    verbose_name = "Partnership: boards, agencies, committees and people"
