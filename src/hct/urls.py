from django.contrib import admin
from django.urls import include, path

from hct.core import errors

urlpatterns = [
    path("", include("hct.core.urls")),
    path("places/", include("hct.places.urls")),
    path("partnership/", include("hct.partnership.urls")),
    path("directory/", include("hct.directory.urls")),
    path("api/oruk/", include("hct.directory.api_urls")),
    path("", include("hct.people.urls")),
    path("", include("hct.journeys.urls")),
    path("map/", include("hct.systemmap.urls")),
    path("conversations/", include("hct.conversations.urls")),
    path("commitments/", include("hct.commitments.urls")),
    path("flexibility/", include("hct.flexibility.urls")),
    path("matching/", include("hct.matching.urls")),
    path("learning/", include("hct.learning.urls")),
    path("admin/", admin.site.urls),
]

handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
