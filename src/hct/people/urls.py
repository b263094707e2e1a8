from django.urls import path

from hct.people import join_views, views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list, name="list"),
    path("people/new/", views.person_create, name="create"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/change/", views.person_edit, name="edit"),
    path("people/<int:pk>/identity/", views.identity, name="identity"),
    path("people/<int:pk>/consent/", views.consents, name="consents"),
    path("people/<int:pk>/needs/new/", views.need_add, name="need-add"),
    path("people/<int:pk>/needs/<int:need_pk>/", views.need_edit, name="need-edit"),
    path("people/<int:pk>/needs/<int:need_pk>/met/", views.need_met, name="need-met"),
    path("people/<int:pk>/strengths/new/", views.strength_add, name="strength-add"),
    path("people/<int:pk>/strengths/<int:strength_pk>/", views.strength_edit, name="strength-edit"),
    path("people/<int:pk>/export/", views.person_export, name="export"),
    path("people/<int:pk>/erase/", views.person_erase, name="erase"),
    path("people/<int:pk>/invite/", views.person_invite, name="invite"),
    path("me/", views.mine, name="mine"),
    path("join/", join_views.join, name="join"),
    path("join/details/", join_views.join_details, name="join-details"),
    path("join/<str:token>/", join_views.join_link, name="join-link"),
    path("welcome/", join_views.welcome, name="welcome"),
    path("me/export/", views.mine_export, name="mine-export"),
    path("me/consent/", views.mine_consents, name="mine-consents"),
]
