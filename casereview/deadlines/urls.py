from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("export.<str:fmt>", views.deadline_export, name="export"),
    path("calculator/", views.calculator, name="calculator"),
]
