from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casereview.core import dashboard
from casereview.core.access import allowed_if
from casereview.core.search import can_search, search

HEARTBEAT_STALE_AFTER = timedelta(minutes=3)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"waiting": dashboard.waiting_for(request.user),
                                              "panels": dashboard.panels_for(request.user)})


@allowed_if(can_search)
@require_GET
def search_results(request: HttpRequest) -> HttpResponse:
    """The header search: cases, reviews and agencies the person may see, in their own board only."""
    query = request.GET.get("q", "").strip()
    hits = search(request.user, query)
    if query:
        from casereview.audit.services import audit_access

        audit_access(by=request.user, action="search.made", label="Search", detail={"results": len(hits)})
    return render(request, "core/search.html", {"query": query, "hits": hits})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: is the database reachable and is the task worker alive? No personal data."""
    from casereview.core.models import WorkerHeartbeat

    body: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
        beat = WorkerHeartbeat.objects.filter(pk=1).values_list("seen_at", flat=True).first()
    except Exception:  # noqa: BLE001 - any failure here means "unhealthy", reported, not raised
        body["database"] = "unreachable"
        beat = None
    if beat is None:
        body["worker"] = "never seen"
    elif timezone.now() - beat > HEARTBEAT_STALE_AFTER:
        body["worker"] = "stale"
    else:
        body["worker"] = "ok"
    healthy = body["database"] == "ok" and body["worker"] == "ok"
    body["status"] = "ok" if healthy else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the failure may have been in a context processor.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
