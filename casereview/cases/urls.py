from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/pseudonym/", views.case_pseudonym, name="pseudonym"),
    path("<int:case_id>/access/", views.case_access, name="access"),
    path("<int:case_id>/access/<int:grant_id>/revoke/", views.case_access_revoke, name="access_revoke"),
]
