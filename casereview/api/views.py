from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.core.forms import apply_service, refuse
from casereview.lib.formats import long_date

from .services import ApiTokenError, api_token_create, api_token_renew, api_token_revoke, two_factor_enrolled


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="What is the token for?",
                           help_text="For example: nightly export to the performance dashboard",
                           error_messages={"required": "Say what the token is for"})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST":
        ok, result = apply_service(form, api_token_create, by=request.user, user=request.user,
                                   name=form.data.get("name", ""))
        if ok:
            new_key = result[1]
            form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "new_key": new_key, "tokens": request.user.api_tokens.all(),
        "two_factor": two_factor_enrolled(request.user), "lifetime_days": settings.API_TOKEN_DAYS,
    })


def _own_token(request, token_id: int):
    token = request.user.api_tokens.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("No such token")
    return token


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = _own_token(request, token_id)
    api_token_revoke(by=request.user, token=token)
    messages.success(request, f"The token '{token.name}' no longer works")
    return redirect("api_tokens:list")


@login_required
@require_POST
def token_renew(request: HttpRequest, token_id: int) -> HttpResponse:
    token = _own_token(request, token_id)
    try:
        token = api_token_renew(by=request.user, token=token)
    except ApiTokenError as error:
        refuse(request, error)
    else:
        messages.success(request, f"The token '{token.name}' now works until {long_date(token.expires_at)}")
    return redirect("api_tokens:list")
