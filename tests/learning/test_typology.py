from django.core.management import call_command
from django.urls import reverse

from casereview.learning.models import LearningSummary, LibraryEntry
from casereview.typology import services
from casereview.typology.defaults import default_rows
from casereview.typology.models import Theme, ThemeChange

from . import factories as f


def test_default_typology_is_seeded_once_per_board(world):
    assert services.typology_seed_default(world.board) == len(default_rows())
    assert services.typology_seed_default(world.board) == 0
    assert Theme.objects.filter(board=world.board, code="A1", name="Information sharing").exists()
    assert Theme.objects.get(board=world.board, code="C2").parent.name == "Harm and child"
    assert not Theme.objects.filter(board=world.other_board).exists()


def test_seed_command_keeps_a_renamed_theme(world, capsys):
    themes = f.themes(world)
    services.theme_rename(by=world.manager, theme=themes["A1"], name="Sharing information")
    call_command("seed_typology", "--board", "testshire")
    assert "0 themes added" in capsys.readouterr().out
    assert Theme.objects.get(board=world.board, code="A1").name == "Sharing information"


def test_add_rename_retire_restore_keep_history(world):
    themes = f.themes(world)
    added = services.theme_add(by=world.manager, board=world.board, name="Fathers", parent=themes["A"])
    assert added.code == "A15"
    group = services.theme_add(by=world.manager, board=world.board, name="Adult services")
    assert group.code == "E"
    services.theme_rename(by=world.manager, theme=added, name="Fathers and male carers")
    services.theme_retire(by=world.manager, theme=added)
    services.theme_restore(by=world.manager, theme=added)
    kinds = list(ThemeChange.objects.filter(theme=added).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(["added", "renamed", "retired", "restored"])
    assert added.history.count() == 4


def test_merge_retags_findings_summaries_and_library_and_never_orphans(world):
    themes = f.themes(world)
    source, target = themes["A6"], themes["A1"]
    rev = f.review(world)
    tagged = f.finding(rev, themes=[source])
    both = f.finding(rev, themes=[source, target])
    summary = f.summary(world, rev=rev)
    summary.themes.add(source)
    moved = services.theme_merge(by=world.manager, source=source, target=target)
    assert moved >= 3
    assert services.theme_tag_count(source) == 0
    assert list(tagged.themes.all()) == [target]
    assert list(both.themes.all()) == [target]
    assert target in LearningSummary.objects.get(pk=summary.pk).themes.all()
    assert not LibraryEntry.objects.filter(themes=source).exists()
    source = Theme.objects.get(pk=source.pk)
    assert source.retired and source.merged_into == target
    change = ThemeChange.objects.get(theme=source, kind="merged")
    assert "Merged A6 Professional curiosity into A1 Information sharing" in change.description


def test_merge_refuses_itself_retired_target_and_groups(world):
    themes = f.themes(world)
    services.theme_retire(by=world.manager, theme=themes["A2"])
    for source, target, message in [
        (themes["A1"], themes["A1"], "cannot be merged into itself"),
        (themes["A1"], Theme.objects.get(pk=themes["A2"].pk), "is retired"),
        (themes["A"], themes["B"], "Only themes can be merged"),
    ]:
        try:
            services.theme_merge(by=world.manager, source=source, target=target)
        except services.TypologyError as error:
            assert message in str(error)
        else:
            raise AssertionError("merge was not refused")
    assert not ThemeChange.objects.filter(kind="merged").exists()


def test_merge_in_the_browser(world, as_user):
    themes = f.themes(world)
    rev = f.review(world)
    f.finding(rev, themes=[themes["A6"]])
    client = as_user(world.manager)
    url = reverse("learning:theme_merge", args=[themes["A6"].pk])
    response = client.post(url, {"target": themes["A6"].pk})
    assert "Choose a theme in use to merge into" in response.content.decode()
    response = client.post(url, {"target": themes["A1"].pk}, follow=True)
    page = response.content.decode()
    assert "Merged A6 into A1: 1 tag moved" in page
    assert "Professional curiosity" in page  # listed as merged into A1


def test_typology_page_counts_tags(world, as_user):
    themes = f.themes(world)
    f.finding(f.review(world), themes=[themes["B1"]])
    page = as_user(world.practitioner).get(reverse("learning:typology")).content.decode()
    assert "Domestic abuse" in page and "System patterns" in page


def test_an_empty_board_adds_the_default_typology_from_the_page(world, as_user):
    client = as_user(world.manager)
    page = client.get(reverse("learning:typology")).content.decode()
    assert "Add the default typology" in page and "manage.py" not in page and "seed" not in page.lower()
    page = client.post(reverse("learning:typology_defaults"), follow=True).content.decode()
    assert f"Added the default typology: {len(default_rows())} groups and themes" in page
    assert "Information sharing" in page and "themes of the default typology" in page
    assert "Add the default typology" not in as_user(world.practitioner).get(reverse("learning:typology")).text
