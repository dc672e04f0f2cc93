"""The address of the person making the request, behind any number of trusted proxies.

Each proxy in front of CaseReview appends the address it received the request from to `X-Forwarded-For`, so the
right-most entries were written by our own proxies and everything to their left was supplied by the client (and
can be anything). With `TRUSTED_PROXY_COUNT` proxies (setting `CASEREVIEW_TRUSTED_PROXIES`), the client is the
entry that the outermost trusted proxy wrote: the N-th from the right. Left-most entries are never believed.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(meta: dict) -> str | None:
    """The client's address for `request.META`: REMOTE_ADDR unless trusted proxies stand in front of us."""
    remote = _valid(meta.get("REMOTE_ADDR") or "")
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR") or ""
    if trusted <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < trusted:
        # Fewer entries than proxies: the request did not come through all of them; believe only what we saw.
        return remote
    return _valid(entries[-trusted]) or remote
