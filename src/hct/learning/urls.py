from django.urls import path

from hct.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/", views.cycles_running, name="cycles"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/field-notes/new/", views.field_note_create, name="field-note-create"),
    path("cycles/<int:pk>/lessons/new/", views.lesson_create, name="lesson-create"),
    path("field-notes/<int:pk>/", views.field_note_detail, name="field-note"),
    path("field-notes/<int:pk>/assets/new/", views.asset_add, name="asset-add"),
    path("people/<int:person_pk>/well-being/new/", views.wellbeing_record, name="wellbeing-record"),
    path(
        "people/<int:person_pk>/well-being/withdraw/",
        views.wellbeing_withdraw,
        name="wellbeing-withdraw",
    ),
    path("side-by-side/", views.side_by_side, name="side-by-side"),
    path("side-by-side/map/", views.map_change, name="map-change"),
    path("what-we-keep-hearing/", views.themes_page, name="themes"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<uuid:pk>/", views.report_detail, name="report"),
    path("reports/<uuid:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/neighbourhoods.csv", views.open_data_csv, name="open-data-csv"),
    path("open-data/neighbourhoods.json", views.open_data_json, name="open-data-json"),
]
