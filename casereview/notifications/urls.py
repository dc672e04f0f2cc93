from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.email_log, name="log"),
    path("<int:email_id>/retry/", views.email_retry_view, name="retry"),
    path("how-you-get-emails/", views.preferences, name="preferences"),
]
