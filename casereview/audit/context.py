"""The client address of the request being served, so services can audit it without taking `request`."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(meta: dict) -> str | None:
    # Only trust X-Forwarded-For when the deployment says it sits behind a proxy that sets it.
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER and meta.get("HTTP_X_FORWARDED_FOR"):
        return meta["HTTP_X_FORWARDED_FOR"].split(",")[0].strip() or None
    return meta.get("REMOTE_ADDR") or None
