"""The one edit-conflict rule (core.concurrency), on a real record."""

import pytest
from django.db import transaction

from casereview.committees.models import Meeting
from casereview.core.concurrency import (
    ConflictError,
    VersionedForm,
    claim_version,
    conflict_message,
    version_initial,
)
from casereview.core.errors import ServiceError
from tests.committees.factories import meeting

pytestmark = pytest.mark.django_db


def test_the_version_a_form_was_opened_at_is_claimed_once(world):
    m = meeting(world)
    with transaction.atomic():
        claim_version(m, 1, "draft of the minutes", field="minutes_version")
    assert m.minutes_version == 2 == Meeting.objects.get(pk=m.pk).minutes_version
    with pytest.raises(ConflictError) as refused, transaction.atomic():
        claim_version(Meeting.objects.get(pk=m.pk), 1, "draft of the minutes", field="minutes_version")
    assert isinstance(refused.value, ServiceError) and refused.value.field is None
    assert str(refused.value) == conflict_message("draft of the minutes")
    # The other counter of the same record is untouched: the attendance can still be saved.
    assert Meeting.objects.get(pk=m.pk).attendance_version == 1


def test_a_change_with_no_form_behind_it_claims_whatever_is_current(world):
    m = meeting(world)
    opened = version_initial(m, field="attendance_version")["version"]
    with transaction.atomic():
        claim_version(Meeting.objects.get(pk=m.pk), None, "attendance record", field="attendance_version")
    with pytest.raises(ConflictError), transaction.atomic():  # a form opened before it is refused
        claim_version(Meeting.objects.get(pk=m.pk), opened, "attendance record", field="attendance_version")


def test_the_message_says_what_to_do():
    assert conflict_message("finding") == (
        "Someone else changed this finding while you were editing it. Your changes have not been saved: reopen the "
        "finding to see the latest version, then make your changes again")


def test_the_form_carries_the_version_hidden_and_a_new_record_has_none(world):
    assert version_initial(None) == {} and version_initial(Meeting()) == {}
    html = str(VersionedForm(initial={"version": 3}))
    assert 'type="hidden" name="version" value="3"' in html
