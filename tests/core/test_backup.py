import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from casereview.audit.models import AuditEvent
from casereview.cases.models import Case
from casereview.partnership.models import Agency


@pytest.mark.django_db(transaction=True)
def test_a_restored_copy_holds_every_record_and_file(world, tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "uploads", "base_url": "/no-direct-access/"}}}
    default_storage.save("reports/child-q-v1.txt", ContentFile(b"Draft report text"))
    AuditEvent.objects.create(action="case.viewed", object_id=str(world.case.pk))
    before = (Case.objects.count(), Agency.objects.count(), AuditEvent.objects.count())
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive)

    Case.objects.all().delete()
    Agency.objects.filter(board=world.other_board).delete()
    (tmp_path / "uploads" / "reports" / "child-q-v1.txt").unlink()
    call_command("restore", str(archive), yes=True)

    assert (Case.objects.count(), Agency.objects.count(), AuditEvent.objects.count()) == before
    assert Case.objects.filter(reference="TEST-0001").exists()
    assert (tmp_path / "uploads" / "reports" / "child-q-v1.txt").read_bytes() == b"Draft report text"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "holiday-photos.tar.gz"
    bogus.write_bytes(b"not a tar file at all")
    with pytest.raises(CommandError, match="is not a CaseReview backup"):
        call_command("restore", str(bogus), yes=True)
