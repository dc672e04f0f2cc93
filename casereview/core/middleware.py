import logging
import time

from casereview.audit.context import client_ip, current_ip

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


class RequestLogMiddleware:
    """One structured line a request: method, route, status, time, user id. Never query strings or names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request.META))
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
