from django.urls import path

from hct.places import views

app_name = "places"
urlpatterns = [
    path("neighbourhoods/", views.neighbourhood_list, name="neighbourhood-list"),
    path("neighbourhoods/new/", views.neighbourhood_create, name="neighbourhood-create"),
    path("neighbourhoods/<slug:slug>/", views.neighbourhood_profile, name="neighbourhood-profile"),
    path(
        "neighbourhoods/<slug:slug>/lsoas.geojson",
        views.neighbourhood_geojson,
        name="neighbourhood-geojson",
    ),
    path("where-next/", views.where_next, name="where-next"),
]
