from django.urls import path

from hct.partnership import views

app_name = "partnership"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("cycles/new/", views.cycle_start_choose, name="cycle-start-choose"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/cycles/new/", views.cycle_start, name="cycle-start"),
    path("<slug:slug>/charter/", views.charter, name="charter"),
    path("<slug:slug>/charter/revise/", views.charter_revise, name="charter-revise"),
    path("<slug:slug>/charter/compare/", views.charter_compare, name="charter-compare"),
    path("<slug:slug>/charter/<int:number>/", views.charter_revision, name="charter-revision"),
    path("<slug:slug>/cycles/<int:number>/", views.cycle_detail, name="cycle"),
]
