"""The access matrix: every URL of the service, walked with every persona.

Each app's tests keep an `access.py` with a list `ACCESS` of `Rule`s. A rule names a URL, how to build its
arguments from the `world` fixture (tests/conftest.py), and for each persona the status a request gets.
`tests/test_access_matrix.py` runs them all and fails if any URL of the service has no rule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALLOW = 200
DENY = 403  # signed in, but the role does not allow it
HIDDEN = 404  # the record is out of the persona's scope: do not reveal whether it exists
LOGIN = 302  # anonymous: sent to sign in
REDIRECT = 302  # allowed, and the action redirects (POST success)
NOT_ALLOWED = 405  # the method is not accepted (e.g. GET on a POST-only action)
# A POST that redirects but changed nothing (the service refused it, and the page it returns to says why).
# REDIRECT means the change happened: the matrix checks that the persona's request wrote an audit event.
REFUSED_REDIRECT = "302, refused (nothing changed)"

PERSONAS = (
    "business_manager",
    "chair",
    "agency_a_author",
    "agency_b_author",
    "lead_reviewer",
    "practitioner",
    "other_board_user",
    "anonymous",
)


@dataclass(frozen=True)
class Rule:
    url_name: str
    expect: dict[str, int | str]
    kwargs: Callable[[object], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[object], dict] = field(default=lambda world: {})
    # Optional set-up run before each request (e.g. create the record the URL points at).
    setup: Callable[[object], dict] | None = None

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.url_name}: no expectation for {', '.join(sorted(missing))}")


def board_members(allowed: int = ALLOW, anonymous: int = LOGIN, outsider: int = ALLOW) -> dict[str, int]:
    """Every persona of the board gets `allowed`. The other board's user sees their own board's version of the
    page (their data, never ours: asserted in the app tests); anonymous is sent to sign in."""
    expect = {p: allowed for p in PERSONAS}
    expect.update(other_board_user=outsider, anonymous=anonymous)
    return expect


def only(allowed_personas: set[str], *, allowed: int = ALLOW, others: int = DENY, outsider: int | None = None,
         anonymous: int = LOGIN) -> dict[str, int]:
    expect = {p: (allowed if p in allowed_personas else others) for p in PERSONAS}
    expect["anonymous"] = anonymous
    if outsider is not None:
        expect["other_board_user"] = outsider
    return expect
