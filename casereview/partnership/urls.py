from django.urls import path

from . import views

app_name = "partnership"
urlpatterns = [
    path("", views.board_overview, name="board"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_edit, name="agency_create"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("timescales/", views.timescales, name="timescales"),
    path("timescales/closures/<int:day_id>/remove/", views.closure_day_remove, name="closure_day_remove"),
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/new/", views.committee_edit, name="committee_create"),
    path("committees/<int:committee_id>/", views.committee_detail, name="committee_detail"),
    path("committees/<int:committee_id>/edit/", views.committee_edit, name="committee_edit"),
    path("committees/<int:committee_id>/members/new/", views.membership_edit, name="membership_create"),
    path("committees/<int:committee_id>/members/<int:membership_id>/", views.membership_edit,
         name="membership_edit"),
    path("committees/<int:committee_id>/members/<int:membership_id>/remove/", views.membership_remove,
         name="membership_remove"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_edit, name="person_create"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/invite/", views.person_invite, name="person_invite"),
]
