from django.urls import path

from hct.flexibility import views

app_name = "flexibility"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/import/", views.service_import, name="service-import"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("services/<int:pk>/revise/", views.service_revise, name="service-revise"),
    path("services/<int:pk>/scenarios/new/", views.scenario_create, name="scenario-create"),
    path("services/<int:pk>/side-by-side/", views.compare, name="compare"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/run/", views.scenario_run, name="scenario-run"),
    path("scenarios/<int:pk>/cite/", views.scenario_cite, name="scenario-cite"),
    path("scenarios/<int:pk>/scenario.json", views.scenario_json, name="scenario-json"),
    path("scenarios/<int:pk>/scenario.csv", views.scenario_csv, name="scenario-csv"),
]
