from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .services import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="What is the token for?",
                           help_text="For example: nightly export to the performance dashboard",
                           error_messages={"required": "Say what the token is for"})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = api_token_create(by=request.user, user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "new_key": new_key, "tokens": request.user.api_tokens.all(),
    })


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("No such token")
    api_token_revoke(by=request.user, token=token)
    messages.success(request, f"The token '{token.name}' no longer works")
    return redirect("api_tokens:list")
