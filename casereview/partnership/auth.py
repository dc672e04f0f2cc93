"""Sign-in rules on top of django-allauth: no self sign-up, and two-factor for every account.

Only the fictional demo accounts skip two-factor, and only while the deployment runs in demo mode.
"""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import redirect
from django.urls import reverse

from casereview.notifications.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by the board's Business Manager, never by visitors.
        return False

    def format_email_subject(self, subject: str) -> str:
        # Never "[example.com]": the service's name, which a person recognises.
        return f"{settings.SERVICE_NAME}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every email django-allauth sends (password reset, email confirmation, security notices) goes through
        the outbound email queue like any other: recorded, retried, visible in the email log, and its one-time
        link removed from the stored copy once sent. They sign off with the person's board and the service's
        name, never a host name."""
        from .models import User

        person = User.objects.filter(email__iexact=email).select_related("board").first()
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context,
                   "service_name": settings.SERVICE_NAME,
                   "board_name": person.board.name if person and person.board else settings.SERVICE_NAME}
        message = self.render_mail(template_prefix, email, context)
        # Never held for a daily digest: a reset link is wanted now, and it expires.
        email_queue(to=email, subject=message.subject, body=message.body, board_id=person.board_id if person else None,
                    about=person, digest=False)


def two_factor_exempt(user) -> bool:
    return bool(settings.DEMO_MODE and user.is_demo_account)


def needs_two_factor_setup(user) -> bool:
    if two_factor_exempt(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    """Until a signed-in person has set up an authenticator app, every page sends them to set one up."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility", "/privacy")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and needs_two_factor_setup(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class LoginForm(allauth_forms.LoginForm):
    """GOV.UK wording: a plain label, no placeholder, no help text under the password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address or sign-in name"
        self.fields["password"].help_text = ""
        for field in ("login", "password"):
            self.fields[field].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["login"].error_messages["required"] = "Enter your email address or sign-in name"
        self.fields["password"].error_messages["required"] = "Enter your password"
