"""Helpers shared by the API v1 resource modules: paging, safe text parameters, clocks and idempotent writes.

Paging is limit/offset: `limit` is kept between 1 and 200 (default 50) and `offset` at 0 or more; an offset past
the end gives an empty page. Every list answers {"items": [...], "count": <all matching items>}.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from ninja import Field, Header, Schema, Status
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from casereview.deadlines.services import ClockView
from casereview.partnership.models import Agency

logger = logging.getLogger(__name__)

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Remove the null character from this value")
    return value


# A record's id in a body: positive and within the database's 64-bit integers.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]

# Free text from a query string or body: anything printable, but never a NUL (PostgreSQL cannot store one).
Text = Annotated[str, AfterValidator(_no_nul)]


def choices(name: str, values) -> type[StrEnum]:
    """An enum of a model's choices under a name of its own: the OpenAPI document names each enum after its
    class, and the apps reuse short names (every model has a "Status"), which would overwrite one another."""
    return StrEnum(name, {value: value for value in values})


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, description=f"How many items to return: 1 to {MAX_LIMIT} "
                                                  f"(smaller or larger values are brought into that range)")
    offset: int = Field(0, description="How many matching items to skip (negative values count as 0)")

    def window(self) -> tuple[int, int]:
        return min(max(self.limit, 1), MAX_LIMIT), max(self.offset, 0)


def paged(rows, query: PageQuery, convert: Callable[[object], dict], *, count: int | None = None) -> dict:
    """One page of a queryset (or list), each item converted for the response, with the total count."""
    limit, offset = query.window()
    total = count if count is not None else (rows.count() if hasattr(rows, "count") and not isinstance(rows, list)
                                             else len(rows))
    if offset >= total:
        return {"items": [], "count": total}
    return {"items": [convert(row) for row in rows[offset:offset + limit]], "count": total}


def board_agency(user, code: str) -> Agency | None:
    """The agency of the user's board with this short code (any letter case)."""
    return Agency.objects.filter(board_id=user.board_id, short_code__iexact=code.strip()).first()


def unknown_agency(code: str) -> Status:
    return errors(("agency", f"There is no agency with the code {code.strip()}"))


# --- Clocks ------------------------------------------------------------------------------------------------

class ClockOut(Schema):
    slug: str
    name: str
    start: date
    due: date
    status: str = Field(description="on_track, due_soon, overdue, met or met_late")
    label: str
    days_left: int = Field(description="Days until due (negative: overdue); once met, the margin on the met date")
    met_on: date | None
    waiting_on: str


def clock_out(view: ClockView) -> dict:
    return {"slug": view.slug, "name": view.name, "start": view.start, "due": view.due,
            "status": str(view.status.status), "label": view.status.label, "days_left": view.status.days_left,
            "met_on": view.status.met_on, "waiting_on": view.waiting_on}


# --- Idempotent writes -------------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_SECONDS = 24 * 60 * 60
IDEMPOTENCY_KEY_MAX = 200
IDEMPOTENCY_KEY_DOC = (f"Optional: up to {IDEMPOTENCY_KEY_MAX} printable characters, unique to this change (a UUID is "
                       f"ideal). A repeat with the same key and body, within 24 hours, returns the first answer and "
                       f"writes nothing again.")
IdempotencyKey = Annotated[str | None, Header(alias=IDEMPOTENCY_HEADER, description=IDEMPOTENCY_KEY_DOC)]
_LOCK_SECONDS = 60


def _fingerprint(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def errors(*problems: tuple[str | None, str], status: int = 422) -> Status:
    """An answer in the API's one error shape, each problem naming its field (None: the request as a whole)."""
    return Status(status, {"errors": [{"field": field, "message": message} for field, message in problems]})


def idempotent(request, *, key: str | None, scope: str, payload,
               run: Callable[[], Status]) -> Status:
    """Run a write once per Idempotency-Key.

    A client that retries a write (say, after a timeout) with the same key and the same body gets the first
    answer again and nothing is written twice. The same key with a different body is refused, as is a second
    request while the first is still being processed. Only successful writes are remembered (for 24 hours):
    a refused request wrote nothing, so it is safe to correct and send again with the same key.
    Without the header the write simply runs.
    """
    if key is None:
        return run()
    if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX or not key.isprintable():
        return errors((IDEMPOTENCY_HEADER, f"Send an Idempotency-Key of 1 to {IDEMPOTENCY_KEY_MAX} printable "
                                           f"characters, for example a UUID"))
    name = hashlib.sha256(f"{request.user.pk}|{scope}|{key}".encode()).hexdigest()
    store, lock = f"api-idempotency:{name}", f"api-idempotency-lock:{name}"
    fingerprint = _fingerprint(payload)
    remembered = cache.get(store)
    if remembered is not None:
        if remembered["fingerprint"] != fingerprint:
            return errors((IDEMPOTENCY_HEADER, "This Idempotency-Key was already used for a different request: "
                                               "use a new key for each new change"))
        return Status(remembered["status"], json.loads(remembered["body"]))
    if not cache.add(lock, 1, _LOCK_SECONDS):
        return errors((None, "A request with this Idempotency-Key is still being processed: wait for its answer, "
                             "then retry"), status=409)
    try:
        answer = run()
        if 200 <= answer.status_code < 300:
            # Stored as JSON text: exactly what was answered, and safe in any cache backend.
            body = json.dumps(answer.value, cls=DjangoJSONEncoder)
            try:
                cache.set(store, {"fingerprint": fingerprint, "status": answer.status_code, "body": body},
                          IDEMPOTENCY_SECONDS)
            except Exception:  # the write is done: answer it, even if a retry could not be recognised
                logger.exception("Could not remember the answer to an idempotent API write")
        return answer
    finally:
        cache.delete(lock)

