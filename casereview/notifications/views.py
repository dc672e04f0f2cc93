from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.permissions import can_manage_board

from .models import OutboundEmail
from .services import email_retry


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
    email_retry(by=request.user, email=email)
    messages.success(request, f"Email to {email.to} queued again")
    return redirect("notifications:log")
