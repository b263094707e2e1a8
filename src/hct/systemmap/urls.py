from django.urls import path

from hct.systemmap import views

app_name = "systemmap"

urlpatterns = [
    path("", views.map_home, name="home"),
    path("people/<int:person_pk>/", views.map_person, name="person"),
    path("people/<int:person_pk>/map.json", views.map_person_json, name="person-json"),
    path("<slug:slug>/", views.map_neighbourhood, name="map"),
    path("<slug:slug>/map.json", views.map_neighbourhood_json, name="map-json"),
    path("<slug:slug>/analysis/", views.map_analysis, name="analysis"),
    path("<slug:slug>/actors/new/", views.actor_add, name="actor-add"),
    path("<slug:slug>/links/new/", views.link_add, name="link-add"),
    path("<slug:slug>/links/<int:pk>/", views.link_edit, name="link-edit"),
    path("<slug:slug>/links/<int:pk>/status/", views.link_status, name="link-status"),
    path("<slug:slug>/links/<int:pk>/remove/", views.link_remove, name="link-remove"),
    path("<slug:slug>/export/<slug:format>/", views.map_export, name="export"),
    path("<slug:slug>/import/", views.map_import, name="import"),
    path("<slug:slug>/snapshots/", views.snapshots, name="snapshots"),
    path("<slug:slug>/snapshots/<int:pk>/", views.snapshot_compare, name="snapshot"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/directory/", views.directory_sync, name="directory-sync"),
]
