from django.urls import path

from . import views

app_name = "committees"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("schedule/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:meeting_id>/agenda/new/", views.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:meeting_id>/agenda/<int:item_id>/remove/", views.agenda_item_remove,
         name="agenda_item_remove"),
    path("meetings/<int:meeting_id>/agenda/<int:item_id>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:meeting_id>/decisions/new/", views.decision_add, name="decision_add"),
    path("meetings/<int:meeting_id>/actions/new/", views.action_add, name="action_add"),
    path("meetings/<int:meeting_id>/actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:meeting_id>/minutes/approve-previous/", views.minutes_approve, name="minutes_approve"),
    path("meetings/<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:meeting_id>/invite.ics", views.invite, name="invite"),
    path("meetings/<int:meeting_id>/pack.docx", views.pack, name="pack"),
]
