"""The regional file is parsed by a worker, never in the web request; the page shows what became of it."""

import json

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.learning import regional
from casereview.learning.models import RegionalImport

from . import factories as f


class _Queued:
    """Stands in for the worker's queue: remembers what was queued and runs nothing."""

    def __init__(self):
        self.calls = []

    def enqueue(self, *args):
        self.calls.append(args)


def _document(world, as_user) -> bytes:
    f.summary(world)
    document = json.loads(as_user(world.manager).get(reverse("learning:regional_export")).content)
    document["board"] = {"name": "Elsewhere Safeguarding Children Board", "region": "Demo region"}
    return json.dumps(document).encode()


def test_the_upload_is_queued_not_parsed_and_the_page_shows_the_outcome_once_the_worker_ran(
        world, as_user, monkeypatch):
    data, queue = _document(world, as_user), _Queued()
    monkeypatch.setattr(regional, "import_file", queue)
    client = as_user(world.manager)
    response = client.post(reverse("learning:regional_import"), {"file": SimpleUploadedFile("region.json", data)})
    assert response.status_code == 302 and "?check=" in response["Location"]
    assert not RegionalImport.objects.exists()  # nothing parsed in the request
    waiting = client.get(response["Location"]).content.decode()
    assert "Your file is being checked" in waiting

    token, stored, board_id, user_id = queue.calls[0]
    monkeypatch.undo()
    assert regional.import_file.call(token, stored, board_id, user_id) == regional.IMPORTED
    assert not default_storage.exists(stored)  # the stored copy goes once checked
    done = client.get(response["Location"], follow=True).content.decode()
    assert "Imported 1 summary from Elsewhere Safeguarding Children Board" in done
    assert RegionalImport.objects.count() == 1


def test_a_refused_file_is_explained_only_to_the_person_who_uploaded_it(world, as_user, monkeypatch):
    queue = _Queued()
    monkeypatch.setattr(regional, "import_file", queue)
    response = as_user(world.manager).post(reverse("learning:regional_import"),
                                           {"file": SimpleUploadedFile("region.json", b"{not json")})
    token, stored, board_id, user_id = queue.calls[0]
    monkeypatch.undo()
    assert regional.import_file.call(token, stored, board_id, user_id) == regional.REFUSED
    assert not default_storage.exists(stored)
    mine = as_user(world.manager).get(response["Location"]).content.decode()
    assert "not valid JSON" in mine and "govuk-error-summary" in mine
    assert regional.import_outcome(token, user_id=world.chair.pk) is None
    assert not RegionalImport.objects.exists()
