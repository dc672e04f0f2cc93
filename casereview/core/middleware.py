import logging
import time

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse

from casereview.audit.case_views import CASE_RECORD_PAGES, PAGE_NAMES
from casereview.audit.context import current_ip, request_events
from casereview.audit.services import audit_access
from casereview.core.client_ip import client_address
from casereview.core.uploadhandler import UploadTooLarge

logger = logging.getLogger("casereview.request")

# No inline script or style anywhere: the policy can stay this strict.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ClientAddressMiddleware:
    """First in the chain: REMOTE_ADDR becomes the real client's address (the right-most untrusted
    X-Forwarded-For entry behind CASEREVIEW_TRUSTED_PROXIES proxies), so the sign-in limits, the API rate limits
    and the audit trail all count the person, never the proxy, and never an address the client made up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["CASEREVIEW_PEER_ADDR"] = request.META.get("REMOTE_ADDR", "")
        request.META["REMOTE_ADDR"] = client_address(request.META) or ""
        # Nothing downstream may read the client-supplied chain and believe its left-most entry.
        request.META.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)


class UploadSizeMiddleware:
    """Refuse a request whose declared body is over the upload limit before anything reads it (413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            return self._too_large()
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.FILES  # noqa: B018 - parse now, through LimitedUploadHandler, so an over-long file stops here
            except UploadTooLarge:
                return self._too_large()
        return self.get_response(request)

    @staticmethod
    def _too_large() -> HttpResponse:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        response = HttpResponse(f"The file is too large. Files must be smaller than {limit_mb} MB.", status=413,
                                content_type="text/plain; charset=utf-8")
        response["Connection"] = "close"  # the rest of the body was never read
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Case records must not linger in shared browser or proxy caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class CaseRecordViewAuditMiddleware:
    """Every successful view of a case-record page is an audit event: "<record>.viewed" naming the record and
    the page (`casereview/audit/case_views.py` lists the pages). A view that recorded the visit itself (a
    download, an export) is not recorded twice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_events.set([])
        try:
            response = self.get_response(request)
            written = request_events.get()
        finally:
            request_events.reset(token)
        if request.method == "GET" and response.status_code == 200 and not written:
            self._record(request)
        return response

    @staticmethod
    def _record(request) -> None:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if match is None or user is None or not user.is_authenticated:
            return
        page = CASE_RECORD_PAGES.get(match.view_name)
        if page is None:
            return
        # A readable page name for the audit trail ("case group", "merged"), and the ids of any sub-record.
        readable = PAGE_NAMES.get(match.view_name, match.url_name.replace("_", " "))
        detail = {"page": readable, **{k: v for k, v in match.kwargs.items() if k != page.kwarg}}
        try:
            record = apps.get_model(page.model).objects.get(pk=match.kwargs[page.kwarg])
        except (KeyError, ObjectDoesNotExist):
            model = apps.get_model(page.model)
            audit_access(by=user, action=page.action, object_type=model._meta.label_lower,
                         object_id=str(match.kwargs.get(page.kwarg, "")), detail=detail)
            return
        audit_access(by=user, action=page.action, obj=record, detail=detail)


class RequestLogMiddleware:
    """One structured line a request: method, route, status, time, user id. Never query strings or names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_address(request.META))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            current_ip.reset(token)
        match = getattr(request, "resolver_match", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.route if match else "",
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": request.user.pk if getattr(request, "user", None) and request.user.is_authenticated else None,
            },
        )
        return response
