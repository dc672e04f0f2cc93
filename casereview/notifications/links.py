"""Links that work once (the invitation's set-password link) must not stay in the stored copy of an email."""

import re

URL = re.compile(r"https?://[^\s<>\"')]+")
# A path or query carrying a secret: the set-password key, or any long token-like segment or parameter.
SECRET_IN_URL = re.compile(r"/password/reset/key/|[?&](key|token|code|signature)=|/[A-Za-z0-9_:-]{24,}(/|$)")
REMOVED = "[link removed once sent: it worked only for the person it was sent to]"


def is_live_link(url: str) -> bool:
    return bool(SECRET_IN_URL.search(url))


def without_live_links(body: str) -> str:
    return URL.sub(lambda match: REMOVED if is_live_link(match.group(0)) else match.group(0), body)
