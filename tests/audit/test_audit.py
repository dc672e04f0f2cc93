import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse

from casereview.audit.models import AppendOnlyError, AuditEvent
from casereview.audit.services import audit_access as audit_record


def test_events_cannot_be_changed_or_deleted(world):
    event = audit_record(by=world.manager, action="case.viewed", obj=world.case)
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_an_event_rolls_back_with_the_change_it_describes(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(by=world.manager, action="case.viewed", obj=world.case)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.filter(action="case.viewed").exists()


def test_events_survive_the_deletion_of_what_they_describe(world):
    from tests.factories import CaseFactory

    case = CaseFactory(board=world.board)
    case_id = case.pk
    audit_record(by=world.manager, action="case.viewed", obj=case)
    case.delete()
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case_id)).exists()


def test_labels_use_references_never_names(world):
    event = audit_record(by=world.manager, action="case.viewed", obj=world.case)
    assert event.object_label == "TEST-0001"


def test_viewing_a_case_is_audited_with_the_address(world, as_user):
    as_user(world.reviewer).get(reverse("cases:detail", args=[world.case.pk]), REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.get(action="case.viewed")
    assert (event.actor_username, event.board_id, event.ip_address) == ("reviewer", world.board.pk, "192.0.2.7")


def test_the_manager_filters_the_trail(world, as_user):
    audit_record(by=world.reviewer, action="case.viewed", obj=world.case)
    audit_record(by=world.manager, action="agency.updated", obj=world.agency_a)
    rows = as_user(world.manager).get(reverse("audit:list"), {"actor": "reviewer"}).text.split("<tbody")[1]
    assert "Case: viewed" in rows and "Agency: updated" not in rows
    by_action = as_user(world.manager).get(reverse("audit:list"), {"action": "agency.updated"}).text
    rows = by_action.split("<tbody")[1]
    assert "Agency: updated" in rows and "Case: viewed" not in rows


def test_a_bad_date_range_says_what_to_fix(world, as_user):
    response = as_user(world.manager).get(reverse("audit:list"), {
        "date_from_0": "10", "date_from_1": "5", "date_from_2": "2026",
        "date_to_0": "1", "date_to_1": "5", "date_to_2": "2026"})
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date" in response.text
    assert "govuk-error-summary" in response.text


def test_an_impossible_date_is_refused(world, as_user):
    response = as_user(world.manager).get(reverse("audit:list"), {
        "date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})
    assert "From must be a real date" in response.text


def test_the_trail_never_shows_another_boards_events(world, as_user):
    audit_record(by=world.outsider, action="agency.updated", obj=world.other_agency)
    html = as_user(world.manager).get(reverse("audit:list")).text
    assert "EPOL" not in html


def test_the_csv_export_is_itself_audited_and_formula_safe(world, as_user):
    audit_record(by=world.manager, action="case.viewed", obj=world.case, label="=HYPERLINK(\"x\")")
    response = as_user(world.manager).get(reverse("audit:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["When", "Who", "What happened", "Event code"]
    assert any(row[6] == "'=HYPERLINK(\"x\")" for row in rows[1:])
    assert AuditEvent.objects.filter(action="audit.exported", actor_username="bm").exists()


def test_audit_record_refuses_to_run_outside_a_transaction(world):
    from casereview.audit.services import audit_record as record_in_transaction

    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        record_in_transaction(by=world.manager, action="case.viewed", obj=world.case)
    assert not AuditEvent.objects.filter(action="case.viewed").exists()


def test_querysets_refuse_to_change_or_delete_events(world):
    audit_record(by=world.manager, action="case.viewed", obj=world.case)
    events = AuditEvent.objects.filter(action="case.viewed")
    with pytest.raises(AppendOnlyError):
        events.update(action="something.else")
    with pytest.raises(AppendOnlyError):
        events.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update(list(events), ["action"])
    assert events.count() == 1


def test_the_database_itself_refuses_to_change_or_delete_events(world):
    """Below the ORM: raw SQL, as any other client would send it. PostgreSQL refuses with a trigger; SQLite has
    no equivalent at this level, so there the guarantee is the model's and the querysets' (tested above)."""
    from django.db import DatabaseError, connection

    event = audit_record(by=world.manager, action="case.viewed", obj=world.case)
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL enforces append-only in the database")
    assert AuditEvent._meta.db_table == "audit_auditevent"
    for statement in ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
                      "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_the_trail_shows_readable_labels_never_event_codes(world, as_user):
    audit_record(by=world.manager, action="meeting.minutes_saved", obj=world.committee)
    audit_record(by=world.manager, action="referral.cir_considered", obj=world.case)
    html = as_user(world.manager).get(reverse("audit:list")).text
    assert "Meeting: minutes saved" in html and "Referral: Critical Incident Review considered" in html
    assert "meeting.minutes_saved" not in html.split("<select")[0] + html.split("</select>")[-1]
    assert "cases.case" not in html and "Case TEST-0001" in html


def test_every_event_code_in_the_code_has_words_for_what_it_is_about():
    import re
    from pathlib import Path

    from casereview.audit.views import ACTION_LABELS, SUBJECTS

    codes = set()
    for path in Path("casereview").rglob("*.py"):
        codes |= set(re.findall(r'action=f?"([a-z_]+)\.', path.read_text(encoding="utf-8")))
    missing = {c for c in codes if c not in SUBJECTS and not any(k.startswith(c + ".") for k in ACTION_LABELS)}
    assert not missing, f"give these event subjects words in casereview/audit/views.py SUBJECTS: {missing}"
