from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casereview.core.access import allowed_if
from casereview.partnership.models import Agency
from casereview.typology.selectors import themes_for

from .. import selectors
from ..forms import LibrarySearchForm
from ..permissions import can_lead_learning, can_use_library

MAX_PAGE = 10000


@allowed_if(can_use_library)
def library(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = LibrarySearchForm(request.GET or None, themes=themes_for(user).filter(merged_into__isnull=True),
                             agencies=Agency.objects.filter(board_id=user.board_id),
                             years=selectors.library_years(user))
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < MAX_PAGE else 1
    result = None
    searched = bool(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LibraryFilters(q=data["q"] or "", theme=data["theme"], agency=data["agency"],
                                           review_type=data["review_type"], year=data["year"], kind=data["kind"])
        result = selectors.library_search(user, filters, page=page_number)
    elif not searched:
        result = selectors.library_search(user, selectors.LibraryFilters(), page=page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "learning/library.html", {
        "form": form, "result": result, "searched": searched, "query": query.urlencode(),
        "can_lead": can_lead_learning(user)})
