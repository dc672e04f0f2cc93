"""The client address of the request being served, and the audit events it has written, so services can audit
without taking `request`."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
# A list per request: audit_record appends each action it writes, so the page-view audit knows whether the view
# already recorded the visit itself (a download, an export) and does not record it twice.
request_events: ContextVar[list | None] = ContextVar("request_events", default=None)


def client_ip(meta: dict) -> str | None:
    """The client's address: `casereview.core.client_ip.client_address` (right-most untrusted X-Forwarded-For)."""
    from casereview.core.client_ip import client_address

    return client_address(meta)
