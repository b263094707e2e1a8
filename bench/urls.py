"""The application's URLs plus one minimal view, the baseline every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from hct.urls import urlpatterns as application


def minimal(request):
    # Signed-in like the pages it is compared with, so both pass the same middleware.
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal), *application]
