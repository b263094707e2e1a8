from django.urls import path

from hct.partnership import views

app_name = "partnership"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("choose/", views.partnership_choose, name="choose"),
    path("cycles/new/", views.cycle_start_choose, name="cycle-start-choose"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/cycles/new/", views.cycle_start, name="cycle-start"),
    path("<slug:slug>/charter/", views.charter, name="charter"),
    path("<slug:slug>/charter/revise/", views.charter_revise, name="charter-revise"),
    path("<slug:slug>/charter/compare/", views.charter_compare, name="charter-compare"),
    path("<slug:slug>/charter/<int:number>/", views.charter_revision, name="charter-revision"),
    path("<slug:slug>/cycles/<int:number>/", views.cycle_detail, name="cycle"),
    path("<slug:slug>/organisations/", views.organisations, name="organisations"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:pk>/", views.membership_edit, name="membership"),
    path("<slug:slug>/members/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/invitations/new/", views.invitation_new, name="invitation-new"),
    path("<slug:slug>/invitations/<int:pk>/", views.invitation_detail, name="invitation"),
    path(
        "<slug:slug>/invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation-cancel",
    ),
]
