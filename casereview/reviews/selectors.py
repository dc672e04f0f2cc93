from django.db.models import QuerySet
from django.http import Http404

from casereview.cases.selectors import cases_visible_to

from .models import Review


def reviews_visible_to(user) -> QuerySet[Review]:
    """A review is visible exactly when its case is (need to know is decided once, in cases)."""
    return Review.objects.filter(case__in=cases_visible_to(user)).select_related("case", "board")


def review_get_for_user(user, review_id: int) -> Review:
    review = reviews_visible_to(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No review found")
    return review
