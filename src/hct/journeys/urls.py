from django.urls import path

from hct.journeys.views import analysis, journey, signifiers, stories, transfer

app_name = "journeys"
urlpatterns = [
    path("journeys/", journey.journey_list, name="list"),
    path("journeys/import/", transfer.journeys_import, name="import"),
    path("journeys/export/", transfer.journeys_export, name="export"),
    path("journeys/people/<int:person_pk>/new/", journey.journey_create, name="create"),
    path("journeys/people/<int:person_pk>/story/new/", stories.story_create, name="story-create"),
    path("journeys/<int:pk>/", journey.journey_detail, name="detail"),
    path("journeys/<int:pk>/export/", transfer.journey_export, name="journey-export"),
    path("journeys/<int:pk>/touchpoints/new/", journey.touchpoint_add, name="touchpoint-add"),
    path(
        "journeys/<int:pk>/touchpoints/<int:touchpoint_pk>/",
        journey.touchpoint_edit,
        name="touchpoint-edit",
    ),
    path(
        "journeys/<int:pk>/touchpoints/<int:touchpoint_pk>/move/",
        journey.touchpoint_move,
        name="touchpoint-move",
    ),
    path(
        "journeys/<int:pk>/touchpoints/<int:touchpoint_pk>/remove/",
        journey.touchpoint_remove,
        name="touchpoint-remove",
    ),
    path("journeys/<int:pk>/gaps/new/", journey.gap_add, name="gap-add"),
    path("journeys/<int:pk>/gaps/<int:gap_pk>/remove/", journey.gap_remove, name="gap-remove"),
    path("stories/<int:pk>/", stories.story_detail, name="story"),
    path("stories/<int:pk>/change/", stories.story_edit, name="story-edit"),
    path("stories/<int:pk>/quotes/new/", stories.quote_add, name="quote-add"),
    path(
        "stories/<int:pk>/quotes/<int:quote_pk>/remove/", stories.quote_remove, name="quote-remove"
    ),
    path(
        "stories/<int:pk>/big-conversation/", stories.story_conversation, name="story-conversation"
    ),
    path("me/story/help/", stories.story_help_ask, name="story-help-ask"),
    path(
        "journeys/people/<int:person_pk>/story-help/<int:help_pk>/done/",
        stories.story_help_done,
        name="story-help-done",
    ),
    path("stories/<int:pk>/meaning/", signifiers.story_signify, name="story-signify"),
    path("cycles/<int:cycle_pk>/signifiers/", signifiers.signifier_list, name="signifiers"),
    path(
        "cycles/<int:cycle_pk>/signifiers/<int:pk>/remove/",
        signifiers.signifier_remove,
        name="signifier-remove",
    ),
    path(
        "cycles/<int:cycle_pk>/signifiers/across-stories/",
        signifiers.signifier_patterns,
        name="signifier-patterns",
    ),
    path("gap-analysis/", analysis.analysis_overview, name="analysis"),
    path(
        "gap-analysis/<slug:slug>/",
        analysis.analysis_neighbourhood,
        name="analysis-neighbourhood",
    ),
]
