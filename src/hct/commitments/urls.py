from django.urls import path

from hct.commitments import public, views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("new/", views.commitment_create, name="create"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
    path("<int:pk>/change/", views.commitment_edit, name="edit"),
    path("<int:pk>/report/", views.commitment_report, name="report"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="milestone-add"),
    # Public accountability: no sign-in.
    path("public/", public.public_index, name="public-index"),
    path("public/feed.atom", public.feed, name="feed"),
    path("public/commitments.<str:fmt>", public.open_data, name="open-data"),
    path("public/<int:pk>/", public.public_commitment, name="public-commitment"),
    path(
        "public/neighbourhoods/<slug:slug>/",
        public.public_neighbourhood,
        name="public-neighbourhood",
    ),
    path(
        "public/neighbourhoods/<slug:slug>/feed.atom",
        public.neighbourhood_feed,
        name="neighbourhood-feed",
    ),
    path(
        "public/organisations/<int:pk>/",
        public.public_organisation,
        name="public-organisation",
    ),
]
