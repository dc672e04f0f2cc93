from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "casereview.referrals"
    verbose_name = "Referrals, the decision matrix and the Chair's decision"
