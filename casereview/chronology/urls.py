from django.urls import path

from . import views

app_name = "chronology"
R = "<int:review_id>/"
urlpatterns = [
    path("", views.index, name="index"),
    path(R, views.review_overview, name="review"),
    path(R + "requests/", views.request_agencies, name="requests"),
    path(R + "requests/<int:request_id>/chase/", views.request_chase, name="request_chase"),
    path(R + "instructions/", views.instructions, name="instructions"),
    path(R + "template.xlsx", views.template_download, name="template"),
    path(R + "template.docx", views.template_docx, name="template_docx"),
    path(R + "agency/", views.agency_workspace, name="agency"),
    path(R + "agency/draft/", views.draft_start, name="draft_start"),
    path(R + "agency/entries/new/", views.entry_add, name="entry_add"),
    path(R + "agency/entries/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path(R + "agency/entries/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path(R + "agency/submit/", views.submit, name="submit"),
    path(R + "agency/import/", views.import_upload, name="import_upload"),
    path(R + "agency/import/<int:job_id>/columns/", views.import_mapping, name="import_mapping"),
    path(R + "agency/import/<int:job_id>/", views.import_status, name="import_status"),
    path(R + "agency/import/<int:job_id>/status.json", views.import_status_json, name="import_status_json"),
    path(R + "agency/import/<int:job_id>/retry/", views.import_retry, name="import_retry"),
    path(R + "versions/<int:version_id>/", views.version_detail, name="version"),
    path(R + "versions/<int:version_id>/accept/", views.version_accept, name="version_accept"),
    path(R + "versions/<int:version_id>/restore/", views.version_restore, name="version_restore"),
    path(R + "versions/<int:version_id>/send-back/", views.version_send_back, name="version_send_back"),
    path(R + "merged/", views.merged, name="merged"),
    path(R + "merged/views/", views.view_save, name="view_save"),
    path(R + "merged/views/<int:view_id>/delete/", views.view_delete, name="view_delete"),
    path(R + "entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path(R + "entries/<int:entry_id>/flag/", views.entry_star, name="entry_star"),
    path(R + "entries/<int:entry_id>/tags/", views.entry_tag, name="entry_tag"),
    path(R + "entries/<int:entry_id>/tags/<int:tag_id>/remove/", views.entry_tag_remove, name="entry_tag_remove"),
    path(R + "entries/<int:entry_id>/comments/", views.entry_comment, name="entry_comment"),
    path(R + "analysis/", views.analysis_page, name="analysis"),
    path(R + "analysis/duplicates/", views.duplicate_decide, name="duplicate_decide"),
    path(R + "timeline/", views.timeline_page, name="timeline"),
    path(R + "export/", views.export, name="export"),
]
