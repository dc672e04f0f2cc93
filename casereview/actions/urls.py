from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/recommendations/<int:rec_id>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path("plans/<int:plan_id>/outcomes/<int:outcome_id>/remove/", views.outcome_remove, name="outcome_remove"),
    path("plans/<int:plan_id>/ask-agencies/", views.actions_request, name="actions_request"),
    path("plans/<int:plan_id>/outcomes/<int:outcome_id>/actions/new/", views.action_propose,
         name="action_propose"),
    path("plans/<int:plan_id>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:plan_id>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:plan_id>/handover/", views.plan_handover, name="plan_handover"),
    path("plans/<int:plan_id>/close/", views.plan_close, name="plan_close"),
    path("action/<int:action_id>/", views.action_detail, name="action_detail"),
    path("action/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("action/<int:action_id>/update/", views.action_update, name="action_update"),
    path("action/<int:action_id>/evaluate/", views.action_evaluate, name="action_evaluate"),
    path("action/<int:action_id>/close/", views.action_close, name="action_close"),
    path("action/<int:action_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("reports/", views.report_overview, name="reports"),
    path("reports/<str:kind>.<str:file_format>", views.report_download, name="report_download"),
    path("export.xlsx", views.export_actions, name="export"),
]
