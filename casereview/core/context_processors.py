from django.conf import settings

from casereview.core.search import can_search


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "demo_mode": settings.DEMO_MODE,
        "can_search": can_search(getattr(request, "user", None)),
    }
