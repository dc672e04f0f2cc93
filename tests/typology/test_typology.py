"""The typology app: natural order, scoped reads, and the defaults a new board starts from."""

import pytest
from django.http import Http404

from casereview.typology import selectors, services
from casereview.typology.defaults import default_rows
from casereview.typology.models import Theme
from casereview.typology.ordering import natural_key


def test_natural_key_reads_numbers_as_numbers():
    labels = ["A10 Hidden or unseen men", "A2 Multi-agency working", "A1 Information sharing", "B1 Domestic abuse",
              "A14 Good practice"]
    assert sorted(labels, key=natural_key) == ["A1 Information sharing", "A2 Multi-agency working",
                                               "A10 Hidden or unseen men", "A14 Good practice", "B1 Domestic abuse"]


def test_themes_sort_naturally_everywhere(world):
    services.typology_seed_default(world.board)
    services.theme_add(by=world.manager, board=world.board, name="Fathers",
                       parent=Theme.objects.get(board=world.board, code="A"))
    codes = [t.code for t in Theme.objects.filter(board=world.board, parent__code="A")]
    assert codes == [f"A{n}" for n in range(1, 16)]
    everything = [t.code for t in selectors.themes_for(world.manager)]
    assert everything.index("A2") < everything.index("A10") < everything.index("B") < everything.index("B1")


def test_a_board_starts_with_the_default_typology_and_sees_only_its_own(world):
    assert services.typology_seed_default(world.board, by=world.manager) == len(default_rows())
    theme = Theme.objects.get(board=world.board, code="A1")
    assert selectors.theme_get_for_user(world.manager, theme.pk) == theme
    with pytest.raises(Http404):
        selectors.theme_get_for_user(world.outsider, theme.pk)
    assert not selectors.themes_for(world.outsider).exists()


def test_themes_to_choose_lists_each_theme_once_with_a_retired_tag_kept(world):
    services.typology_seed_default(world.board)
    themes = {t.code: t for t in Theme.objects.filter(board=world.board)}
    services.theme_retire(by=world.manager, theme=themes["A2"])
    offered = list(selectors.themes_to_choose(world.manager, keep=[themes["A1"], themes["A2"]]))
    assert len(offered) == len(set(offered))
    assert themes["A2"] in offered and themes["A"] not in offered
