"""Finding the review and agency a chronology command names."""

from django.core.management.base import CommandError

from casereview.partnership.models import Agency
from casereview.reviews.models import Review


def find_review(reference: str, board_slug: str | None) -> Review:
    reviews = Review.objects.filter(reference=reference).select_related("board", "case")
    if board_slug:
        reviews = reviews.filter(board__slug=board_slug)
    found = list(reviews[:10])
    if not found:
        where = f" in board {board_slug}" if board_slug else ""
        raise CommandError(f"There is no review with reference {reference}{where}")
    if len(found) > 1:
        slugs = ", ".join(sorted(r.board.slug for r in found))
        raise CommandError(f"Reference {reference} is used by more than one board ({slugs}): "
                           "say which with --board SLUG")
    return found[0]


def find_agency(review: Review, name: str) -> Agency:
    agencies = Agency.objects.filter(board=review.board_id)
    agency = agencies.filter(name__iexact=name.strip()).first() or agencies.filter(
        short_code__iexact=name.strip()).first()
    if agency is None:
        known = ", ".join(f'"{a.name}"' for a in agencies.order_by("name"))
        raise CommandError(f'There is no agency called "{name}" in {review.board.name}; its agencies are {known}')
    return agency
