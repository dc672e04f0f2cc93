from django.core import mail
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.partnership.models import Agency, User
from casereview.partnership.roles import Role


def test_the_manager_adds_an_agency_and_it_is_audited(world, as_user):
    response = as_user(world.manager).post(reverse("partnership:agency_create"),
                                           {"name": "Testshire Youth Justice", "short_code": "tyj", "type": "youth_justice",
                                            "active": "on"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Testshire Youth Justice")
    assert agency.board == world.board and agency.short_code == "TYJ"
    assert AuditEvent.objects.filter(action="agency.created", object_id=str(agency.pk)).exists()


def test_an_invalid_agency_shows_the_error_summary_and_saves_nothing(world, as_user):
    response = as_user(world.manager).post(reverse("partnership:agency_create"),
                                           {"name": "Testshire Police", "short_code": "", "type": ""})
    html = response.text
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The board already has an agency called Testshire Police" in html
    assert 'href="#id_name"' in html and 'href="#id_short_code"' in html
    assert "Enter short code" in html and "Select type" in html and "This field is required" not in html
    assert 'govuk-form-group--error' in html and 'id="id_name_error"' in html and "id_name_error" in html.split('name="name"')[1][:300]
    assert Agency.objects.filter(board=world.board).count() == 2


def test_agency_names_may_repeat_across_boards(world, as_user):
    response = as_user(world.manager).post(reverse("partnership:agency_create"),
                                           {"name": "Elsewhere Police", "short_code": "EPOL", "type": "police"})
    assert response.status_code == 302


def test_a_new_person_gets_roles_and_an_invitation(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.manager).post(reverse("partnership:person_create"), {
            "first_name": "Newby", "last_name": "Fictional", "username": "newby", "email": "Newby@Testshire.example",
            "agency": world.agency_b.pk, "roles": [Role.AGENCY_LEAD], "is_active": "on",
        })
    assert response.status_code == 302
    person = User.objects.get(username="newby")
    assert person.board == world.board and person.has_role(Role.AGENCY_LEAD)
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1
    assert "newby" in mail.outbox[0].body and "/accounts/join/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="person.created", object_id=str(person.pk)).exists()


def test_an_agency_role_needs_an_agency(world, as_user):
    response = as_user(world.manager).post(reverse("partnership:person_create"), {
        "first_name": "Newby", "last_name": "Fictional", "username": "newby", "email": "newby@testshire.example",
        "roles": [Role.AGENCY_AUTHOR], "is_active": "on",
    })
    assert "Choose the agency" in response.text
    assert not User.objects.filter(username="newby").exists()


def test_changing_roles_records_what_changed(world, as_user):
    as_user(world.manager).post(reverse("partnership:person_edit", args=[world.author_a.pk]), {
        "first_name": "Testy", "last_name": "Author", "username": "author-a", "email": "author-a@testshire.example",
        "agency": world.agency_a.pk, "roles": [Role.AGENCY_LEAD], "is_active": "on",
    })
    event = AuditEvent.objects.get(action="person.updated", object_id=str(world.author_a.pk))
    assert event.detail["roles_added"] == [Role.AGENCY_LEAD]
    assert event.detail["roles_removed"] == [Role.AGENCY_AUTHOR]


def test_lists_show_only_the_users_own_board(world, as_user):
    html = as_user(world.outsider).get(reverse("partnership:agency_list")).text
    assert "Elsewhere Police" in html and "Testshire Police" not in html
    people = as_user(world.outsider).get(reverse("partnership:people_list")).text
    assert "author-a" not in people and "Mctestface" not in people.replace(world.outsider.last_name, "")


def test_committee_shows_its_rhythm_and_quorum(world, as_user):
    html = as_user(world.author_a).get(reverse("partnership:committee_detail", args=[world.committee.pk])).text
    assert "Every 6 weeks" in html and "Quorate with the chair and 3 agency representatives from different agencies" in html
