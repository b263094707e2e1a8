"""Error pages in the service's own design, with generic messages that reveal nothing."""

import sys

from django.shortcuts import render

from hct.core.availability import cause_of_outage, unavailable_response


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    # Django calls this inside its `except`: an outage raised outside a view (loading the session
    # or the user in a middleware) is a 503 to come back to, not a 500.
    error = sys.exc_info()[1]
    if error is not None and cause_of_outage(error) is not None:
        return unavailable_response(request, error)
    return render(request, "core/500.html", status=500)
