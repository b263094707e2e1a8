from django.conf import settings

from hct.core.navigation import sections_for
from hct.core.roles import STAFF_ROLES


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.HCT_SERVICE_NAME,
        "navigation": sections_for(user, request.path) if user and user.is_authenticated else [],
        # Staff pages may use (and explain) the professionals' terms; everyone else, a community
        # member or the public, reads plain words (issue 13 item 8).
        "staff_words": getattr(user, "role", None) in STAFF_ROLES,
    }
