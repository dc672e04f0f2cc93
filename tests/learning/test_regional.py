import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.learning import regional
from casereview.learning.models import LearningSummary, RegionalImport
from tests.factories import CasePersonFactory

from . import factories as f


def _file(world, as_user):
    f.summary(world)
    response = as_user(world.manager).get(reverse("learning:regional_export"))
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _upload(client, document, name="region.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(reverse("learning:regional_import"), {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_export_follows_the_documented_format(world, as_user):
    document = _file(world, as_user)
    assert document["format"] == "casereview-regional-learning" and document["version"] == "1.0"
    summary = document["summaries"][0]
    assert set(summary) <= set(regional.SUMMARY_KEYS)
    assert summary["themes"][0] == {"code": "A1", "name": "Information sharing", "group": "Practice"}
    regional.validate(json.dumps(document).encode())


def test_export_refused_when_a_summary_names_someone(world, as_user):
    CasePersonFactory(case=world.case, full_name="Zebedee Fictionperson", anonymised_label="Child Q")
    summary = f.summary(world)
    LearningSummary.objects.filter(pk=summary.pk).update(good_practice="Zebedee's teacher noticed.")
    response = as_user(world.manager).get(reverse("learning:regional_export"), follow=True)
    assert "may identify someone" in response.content.decode()


def test_import_another_boards_file_and_see_themes_across_boards(world, as_user):
    document = _file(world, as_user)
    document["board"] = {"name": "Elsewhere Safeguarding Children Board", "region": "Demo region"}
    client = as_user(world.manager)
    response = _upload(client, document)
    assert "Imported 1 summary from Elsewhere Safeguarding Children Board" in response.content.decode()
    page = client.get(reverse("learning:regional")).content.decode()
    assert "Information sharing" in page and "<svg" in page
    assert "This file has already been imported" in _upload(client, document).content.decode()
    assert RegionalImport.objects.count() == 1


def test_own_file_is_refused(world, as_user):
    document = _file(world, as_user)
    assert "your own board" in _upload(as_user(world.manager), document).content.decode()


def test_bad_files_are_refused_with_reasons_and_nothing_is_kept(world, as_user):
    good = _file(world, as_user)
    good["board"]["name"] = "Elsewhere Board"
    client = as_user(world.manager)

    def variant(change):
        document = json.loads(json.dumps(good))
        change(document)
        return document

    cases = [
        (b"{not json", "not valid JSON"),
        (b"x" * (regional.MAX_BYTES + 1), "must be smaller than 2 MB"),
        (variant(lambda d: d.update(version="9.0")), "Version “9.0” of the format is not supported"),
        (variant(lambda d: d["summaries"][0].update(child_name="Zebedee Fictionperson")),
         "could carry a name or date of birth"),
        (variant(lambda d: d["summaries"][0].update(key_findings="The child, born 12/03/2014, was not seen.")),
         "may identify someone"),
        (variant(lambda d: d["summaries"][0].update(case_summary="Mrs Fictionperson was not asked.")),
         "a title and name"),
        (variant(lambda d: d["summaries"][0].update(themes=[])), "must be a list of 1 to 50 themes"),
        (variant(lambda d: d["summaries"][0].pop("key_findings")), "Summary 1 key_findings is missing"),
        (variant(lambda d: d["summaries"][0].update(year_completed="2024")), "must be a year"),
    ]
    for document, message in cases:
        page = _upload(client, document).content.decode()
        assert message in page, message
    assert "must be a .json file" in _upload(client, good, name="region.txt").content.decode()
    assert not RegionalImport.objects.exists()
