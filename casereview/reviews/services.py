from datetime import date

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.cases.models import Case

from .models import Review


def review_next_reference(*, board_id: int, year: int) -> str:
    prefix = f"REV-{year}-"
    taken = Review.objects.filter(board_id=board_id, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def review_initiate(*, by, case: Case, type: str, initiated_on: date, title: str = "",
                    reference: str = "") -> Review:
    """Open a review of a case (called when the Chair decides, or by the Business Manager)."""
    with transaction.atomic():
        review = Review.objects.create(
            board_id=case.board_id, case=case, type=type, initiated_on=initiated_on,
            title=title or case.pseudonym,
            reference=reference or review_next_reference(board_id=case.board_id, year=initiated_on.year),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(by=by, action="review.initiated", obj=review, detail={"type": type, "case": case.reference})
    return review
