from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.core.permissions import can_manage_board

from .models import EmailPreference, OutboundEmail
from .services import email_preference_get, email_preference_set, email_retry


@allowed_if(can_manage_board)
def email_log(request: HttpRequest) -> HttpResponse:
    emails = OutboundEmail.objects.filter(board_id=request.user.board_id)
    status = request.GET.get("status", "")
    if status in OutboundEmail.Status.values:
        emails = emails.filter(status=status)
    page = Paginator(emails, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/log.html", {
        "page": page, "status": status, "statuses": OutboundEmail.Status.choices,
        "query": f"status={status}" if status else "",
    })


@allowed_if(can_manage_board)
@require_POST
def email_retry_view(request: HttpRequest, email_id: int) -> HttpResponse:
    email = OutboundEmail.objects.filter(pk=email_id, board_id=request.user.board_id,
                                         status=OutboundEmail.Status.FAILED).first()
    if email is None:
        raise Http404("No failed email found")
    try:
        email_retry(by=request.user, email=email)
    except ServiceError as error:  # retried twice at once: the other click already queued it
        refuse(request, error)
    else:
        messages.success(request, f"Email to {email.to} queued again")
    return redirect("notifications:log")


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How do you want to get emails from CaseReview?", widget=forms.RadioSelect,
        choices=EmailPreference.Frequency.choices,
        help_text="A digest gathers the day's reminders and updates into one email, sent at 7am.",
        error_messages={"required": "Choose how you want to get emails"})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = email_preference_get(request.user)
    form = PreferenceForm(request.POST or None, initial={"frequency": current.frequency})
    if request.method == "POST":
        ok, _ = apply_service(form, email_preference_set, by=request.user, user=request.user,
                              frequency=form.data.get("frequency", ""))
        if ok:
            messages.success(request, "Your email choice has been saved")
            return redirect("notifications:preferences")
    held = OutboundEmail.objects.filter(to__iexact=request.user.email, status=OutboundEmail.Status.HELD).count() \
        if request.user.email else 0
    return render(request, "notifications/preferences.html", {"form": form, "current": current, "held": held})
