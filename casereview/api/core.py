"""The API object, authentication, rate limits and the one shape every error takes: {"errors": [{field, message}]}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from .schemas import ErrorOut
from .services import api_token_authenticate

# Every operation may answer with these; declaring them keeps the OpenAPI document honest.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user  # the same selectors and audit then see the token's owner
        return user


class StrictQueryParser(Parser):
    """A parameter that takes one value, given more than once (`?source_type=xyz&source_type=review`), is refused
    with a 422 naming it, never quietly read as its last value (which let an invalid value through unchecked)."""

    def parse_querydict(self, data, list_fields, request):
        result = {}
        for key in data.keys():
            values = data.getlist(key)
            result[key] = values if key in list_fields or len(values) > 1 else values[0]
        return result


api = NinjaAPI(
    parser=StrictQueryParser(),
    title="CaseReview API",
    version="1",
    description="Read and write CaseReview records with the permissions of the token's owner. "
                "Errors always have the shape {\"errors\": [{\"field\": ..., \"message\": ...}]}.",
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[AnonRateThrottle("30/m"), AuthRateThrottle("600/m")],
    docs_url=None,  # the interactive docs load scripts from a CDN, which our CSP forbids; see docs/api.md
)


def error_response(request, status: int, message: str, field: str | None = None):
    return api.create_response(request, {"errors": [{"field": field, "message": message}]}, status=status)


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    items = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "query", "path", "payload", "header", "cookie")]
        items.append({"field": ".".join(location) or None, "message": error.get("msg", "Invalid value")})
    return api.create_response(request, {"errors": items}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "Not found")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(request, 403, "Your roles do not allow this")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(request, 401, "Send a valid API token as 'Authorization: Bearer <token>'")


@api.exception_handler(Throttled)
def _throttled(request, exc):
    return error_response(request, 429, "Too many requests: slow down and try again shortly")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, str(exc))
