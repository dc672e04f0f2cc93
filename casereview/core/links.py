from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args) -> str:
    """A full link for an email: emails are read outside CaseReview, where a bare path goes nowhere."""
    return settings.SITE_URL + reverse(viewname, args=args)
