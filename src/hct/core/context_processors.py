from django.conf import settings

from hct.core.navigation import sections_for


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.HCT_SERVICE_NAME,
        "navigation": sections_for(user, request.path) if user and user.is_authenticated else [],
    }
