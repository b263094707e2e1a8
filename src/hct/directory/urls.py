from django.urls import path

from hct.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.find_help, name="find"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("community-assets/new/", views.community_asset_create, name="asset-create"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_run, name="import-run"),
]
