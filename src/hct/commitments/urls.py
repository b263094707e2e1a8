from django.urls import path

from hct.commitments.views import campaigns, public, scrutiny, staff

app_name = "commitments"

urlpatterns = [
    path("", staff.commitment_list, name="list"),
    path("new/", staff.commitment_create, name="create"),
    path("<int:pk>/", staff.commitment_detail, name="detail"),
    path("<int:pk>/change/", staff.commitment_edit, name="edit"),
    path("<int:pk>/report/", staff.commitment_report, name="report"),
    path("<int:pk>/milestones/new/", staff.milestone_add, name="milestone-add"),
    # Community scrutiny.
    path("<int:pk>/ask/", scrutiny.ask, name="ask"),
    path("updates/<int:pk>/feedback/", scrutiny.feedback, name="feedback"),
    path("questions/<int:pk>/answer/", scrutiny.answer, name="answer"),
    path("contributions/<int:pk>/report/", scrutiny.flag, name="flag"),
    path("contributions/<int:pk>/hide/", scrutiny.hide, name="hide"),
    path("contributions/<int:pk>/restore/", scrutiny.restore, name="restore"),
    path("moderation/", scrutiny.moderation, name="moderation"),
    # Community campaigns.
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/mine/", campaigns.my_campaigns, name="my-campaigns"),
    path("campaigns/mine/new/", campaigns.my_campaign_start, name="my-campaign-start"),
    path("campaigns/<slug:slug>/check/", campaigns.review, name="campaign-review"),
    path("campaigns/<slug:slug>/asks/new/", campaigns.ask_add, name="campaign-ask-add"),
    path("campaigns/<slug:slug>/meetings/new/", campaigns.meeting_add, name="campaign-meeting-add"),
    path("campaigns/<slug:slug>/support/", campaigns.support, name="campaign-support"),
    path("public/campaigns/<slug:slug>/", campaigns.campaign_detail, name="campaign"),
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
