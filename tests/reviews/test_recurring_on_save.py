"""Seed s.6: recording a finding that repeats earlier learning raises the question at once."""

from datetime import date

from django.urls import reverse

from casereview.learning.models import SustainQuestion
from tests.factories import review_in


def test_a_finding_that_repeats_earlier_learning_raises_the_question(world, as_user):
    from casereview.reviews import services
    from casereview.reviews.models import Finding
    from casereview.typology.services import typology_seed_default

    typology_seed_default(world.board)
    theme = world.board.themes.get(name__iexact="Information sharing")
    earlier = review_in(world, reference="OLD-1", initiated_on=date(2020, 1, 1), lead_reviewer=None)
    services.finding_save(by=world.manager, review=earlier, kind=Finding.Kind.IMPROVEMENT,
                          title="Police and school did not share information about exploitation",
                          narrative="Police and the school each held information about older men contacting the "
                                    "young person and neither shared it.", evidence="", themes=[theme],
                          system_pattern="", contributory_factors="")
    later = review_in(world, reference="NEW-1", initiated_on=date(2026, 1, 1), lead_reviewer=None)
    finding = services.finding_save(
        by=world.manager, review=later, kind=Finding.Kind.IMPROVEMENT,
        title="Information about exploitation was not shared between police and school",
        narrative="The school and police each knew of older men contacting the young person; neither shared it.",
        evidence="", themes=[theme], system_pattern="", contributory_factors="")
    assert SustainQuestion.objects.filter(finding=finding).exists()
    html = as_user(world.manager).get(reverse("reviews:findings", args=[later.pk])).text
    assert "Repeats earlier learning" in html
