from django.urls import path

from hct.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.home, name="home"),
    path("run/", views.run, name="run"),
    path("mine/", views.mine, name="mine"),
    path("mine/needs/new/", views.my_need_add, name="my-need-add"),
    path("mine/strengths/new/", views.my_strength_add, name="my-strength-add"),
    path("offers/", views.offers, name="offers"),
    path("offers/new/", views.offer_add, name="offer-add"),
    path("offers/<int:pk>/active/", views.offer_active, name="offer-active"),
    path("offers/<int:pk>/end/", views.offer_end, name="offer-end"),
    path("needs/<int:need_pk>/preferences/", views.preferences, name="preferences"),
    path("<int:pk>/", views.match_detail, name="match"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/hours/", views.hours, name="hours"),
]
