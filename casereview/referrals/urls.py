from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_create, name="create"),
    path("record/", views.referral_record, name="record"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/change/", views.referral_edit, name="edit"),
    path("<int:referral_id>/people/add/", views.person_add, name="person_add"),
    path("<int:referral_id>/people/<int:person_id>/remove/", views.person_remove, name="person_remove"),
    path("<int:referral_id>/submit/", views.referral_submit, name="submit"),
    path("<int:referral_id>/receive/", views.referral_receive, name="receive"),
    path("<int:referral_id>/original/", views.original_download, name="original_download"),
    path("<int:referral_id>/information/", views.information_request, name="information_request"),
    path("information/<int:request_id>/", views.information_answer, name="answer"),
    path("<int:referral_id>/matrix/", views.matrix, name="matrix"),
    path("<int:referral_id>/matrix/reopen/", views.matrix_reopen, name="matrix_reopen"),
    path("<int:referral_id>/route/", views.route, name="route"),
    path("<int:referral_id>/questions/", views.question_add, name="question_add"),
    path("<int:referral_id>/decision/", views.decide, name="decide"),
    path("<int:referral_id>/feedback.docx", views.letter_docx, name="letter_docx"),
    path("<int:referral_id>/feedback.pdf", views.letter_pdf, name="letter_pdf"),
    path("<int:referral_id>/feedback/sent/", views.letter_sent, name="letter_sent"),
    path("<int:referral_id>/panel-notice/", views.panel_notice, name="panel_notice"),
    path("<int:referral_id>/panel-notice.pdf", views.panel_notice_pdf, name="panel_notice_pdf"),
    path("<int:referral_id>/panel-notice/notification/", views.sin_download, name="sin_download"),
    path("<int:referral_id>/panel-log/", views.panel_log_add, name="panel_log_add"),
    path("panel-log/<int:entry_id>/answered/", views.panel_log_answer, name="panel_log_answer"),
    path("<int:referral_id>/cir/", views.cir, name="cir"),
    path("threshold/<int:notice_id>/", views.threshold_notice, name="threshold_notice"),
]
