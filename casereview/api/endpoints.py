"""API v1 operations. Each reads through the same selectors and writes through the same services as the pages."""

from datetime import date

from ninja import Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from casereview.cases.selectors import case_get_for_user, cases_visible_to
from casereview.cases.services import case_viewed
from casereview.lib import clocks

from .common import Text
from .core import ERRORS, api, error_response
from .schemas import CaseOut, DeadlineOut, MeOut


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = 50
        offset: int = 0

    def paginate_queryset(self, queryset, pagination: Input, **params):
        limit = min(max(pagination.limit, 1), 200)
        offset = max(pagination.offset, 0)
        count = self._items_count(queryset)
        # An offset past the end is an empty page, not a query the database cannot run.
        items = queryset[offset:offset + limit] if offset < count else queryset[:0]
        return {"items": items, "count": count}


@api.get("/me", response={200: MeOut, **ERRORS}, summary="Who the token belongs to")
def me(request):
    user = request.user
    return {"username": user.username, "name": str(user), "board": user.board.name if user.board else None,
            "agency": user.agency.name if user.agency else None, "roles": sorted(user.role_set)}


@api.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="Cases the token's owner may see")
@paginate(Page)
def case_list(request, reference: Text = ""):
    cases = cases_visible_to(request.user).order_by("id")
    return cases.filter(reference__iexact=reference) if reference else cases


@api.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="One case (audited as a view)")
def case_detail(request, case_id: int):
    case = case_get_for_user(request.user, case_id)
    case_viewed(by=request.user, case=case, what="api")
    return case


class DeadlineQuery(Schema):
    pack: Text
    clock: Text
    start: date


@api.get("/clocks/deadline", response={200: DeadlineOut, **ERRORS}, summary="Compute a statutory due date")
def deadline(request, query: Query[DeadlineQuery]):
    try:
        pack = clocks.get_pack(query.pack)
        clock = pack.clock(query.clock)
    except clocks.UnknownPack as error:
        return error_response(request, 422, str(error), "pack")
    except clocks.UnknownClock as error:
        return error_response(request, 422, str(error), "clock")
    closures = frozenset(request.user.board.closure_days.values_list("date", flat=True)) if request.user.board else ()
    try:
        due = clocks.due_date(clock, query.start, closures)
    except (ValueError, OverflowError):
        return error_response(request, 422, "The start date is too far in the past or future", "start")
    return {"pack": pack.slug, "clock": clock.slug, "start": query.start, "due": due}

