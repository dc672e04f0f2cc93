from django.urls import include, path

from casereview.api.core import api
from casereview.core import views as core_views
from casereview.partnership import views as partnership_views

handler403 = "casereview.core.views.error_403"
handler404 = "casereview.core.views.error_404"
handler500 = "casereview.core.views.error_500"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search_results, name="search"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("account/", partnership_views.account_settings, name="account_settings"),
    path("account/api-tokens/", include("casereview.api.urls")),
    path("api/v1/", api.urls),
    # The invitation link a new person follows (under /accounts/: no two-factor set-up is needed yet).
    path("accounts/join/<str:token>/", partnership_views.join, name="join"),
    path("accounts/join/<str:token>/renew/", partnership_views.join_renew, name="join_renew"),
    path("accounts/", include("allauth.urls")),
    path("board/", include("casereview.partnership.urls")),
    path("cases/", include("casereview.cases.urls")),
    path("deadlines/", include("casereview.deadlines.urls")),
    path("referrals/", include("casereview.referrals.urls")),
    path("reviews/", include("casereview.reviews.urls")),
    path("chronology/", include("casereview.chronology.urls")),
    path("actions/", include("casereview.actions.urls")),
    path("committees/", include("casereview.committees.urls")),
    path("learning/", include("casereview.learning.urls")),
    path("audit/", include("casereview.audit.urls")),
    path("emails/", include("casereview.notifications.urls")),
]
