"""Publication dates: the Panel's copy, how long a report stays online, the public list."""

from datetime import date

from django.db.models import QuerySet

from casereview.lib import clocks

from ..models import Review
from . import board_clock


def prepublication_due(review: Review, publication_on: date) -> date:
    clock = board_clock(review.board, ("prepublication-copy",))
    return clocks.due_date(clock, publication_on, review.board.closure_days.values_list("date", flat=True))


def online_until(review: Review) -> date | None:
    if review.published_on is None:
        return None
    clock = board_clock(review.board, ("publication-online",))
    return clocks.due_date(clock, review.published_on)



def published_reviews(board) -> QuerySet[Review]:
    return (Review.objects.filter(board=board, status=Review.Status.PUBLISHED, published_version__isnull=False)
            .select_related("published_version", "board").order_by("-published_on", "-id"))
