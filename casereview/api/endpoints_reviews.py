"""API v1: reviews, their findings and recommendations (read), through the reviews app's selectors."""

from datetime import date

from ninja import Schema
from ninja.pagination import paginate

from casereview.lib import dates
from casereview.reviews import services
from casereview.reviews.models import Review
from casereview.reviews.selectors import review_get_for_user, review_timescale, reviews_visible_to

from .core import ERRORS, api
from .endpoints import Page


class ReviewOut(Schema):
    id: int
    reference: str
    title: str
    type: str
    methodology: str
    status: str
    initiated_on: date
    case_reference: str


class TimescaleOut(Schema):
    target: date
    status: str
    label: str
    days_left: int
    paused: bool


class ReviewDetailOut(ReviewOut):
    timescale: TimescaleOut | None
    planned_publication_on: date | None
    published_on: date | None


class FindingOut(Schema):
    number: int
    kind: str
    title: str
    narrative: str
    themes: list[str]


class RecommendationOut(Schema):
    number: int
    text: str
    level: str
    findings: list[int]
    target_agencies: list[str]


def _review_out(review: Review) -> dict:
    return {"id": review.pk, "reference": review.reference, "title": review.title, "type": review.type,
            "methodology": review.methodology, "status": review.status, "initiated_on": review.initiated_on,
            "case_reference": review.case.reference}


@api.get("/reviews", response={200: list[ReviewOut], **ERRORS}, summary="Reviews the token's owner may see")
@paginate(Page)
def review_list(request, status: Review.Status | None = None, type: Review.Type | None = None):
    reviews = reviews_visible_to(request.user).order_by("id")
    if status:
        reviews = reviews.filter(status=status)
    if type:
        reviews = reviews.filter(type=type)
    return [_review_out(r) for r in reviews]


@api.get("/reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS},
         summary="One review with its six-month timescale (audited as a view)")
def review_detail(request, review_id: int):
    review = review_get_for_user(request.user, review_id)
    services.review_viewed(by=request.user, review=review, page="api")
    timescale = review_timescale(review, dates.today())
    return {**_review_out(review),
            # None where the review has no target yet (no clock in the rule pack, none set by the committee).
            "timescale": {"target": timescale.target, "status": timescale.status.status,
                          "label": timescale.status.label, "days_left": timescale.status.days_left,
                          "paused": timescale.open_pause is not None} if timescale.status else None,
            "planned_publication_on": review.planned_publication_on, "published_on": review.published_on}


@api.get("/reviews/{review_id}/findings", response={200: list[FindingOut], **ERRORS},
         summary="A review's findings")
def review_findings(request, review_id: int):
    review = review_get_for_user(request.user, review_id)
    services.review_viewed(by=request.user, review=review, page="api findings")
    return [{"number": f.number, "kind": f.kind, "title": f.title, "narrative": f.narrative,
             "themes": [t.code for t in f.themes.all()]}
            for f in review.findings.prefetch_related("themes")]


@api.get("/reviews/{review_id}/recommendations", response={200: list[RecommendationOut], **ERRORS},
         summary="A review's recommendations")
def review_recommendations(request, review_id: int):
    review = review_get_for_user(request.user, review_id)
    services.review_viewed(by=request.user, review=review, page="api recommendations")
    return [{"number": r.number, "text": r.text, "level": r.level,
             "findings": [f.number for f in r.findings.all()],
             "target_agencies": [a.short_code for a in r.target_agencies.all()]}
            for r in review.recommendations.prefetch_related("findings", "target_agencies")]
