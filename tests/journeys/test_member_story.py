"""Sam writes and changes his own story and journey through the pages his facilitator uses
(the same views and services), or asks his facilitator to do it with him (issue 13 item 3)."""

import pytest
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.journeys import services
from hct.journeys.models import STORY_MAX_CHARS, Story, StoryHelpRequest, Touchpoint
from hct.people.services import person_create
from hct.systemmap.models import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(demo):
    """Someone else in Sam's neighbourhood, with a story and a journey of their own."""
    facilitator = demo.users["facilitator"]
    person = person_create(
        actor=facilitator, alias="Robin (not their real name)", home_lsoa=demo.sam.home_lsoa
    )
    story = services.story_create(actor=facilitator, person=person, text="Robin's words")
    journey = services.journey_create(actor=facilitator, person=person, title="Robin's journey")
    touchpoint = services.touchpoint_add(
        actor=facilitator,
        journey=journey,
        when="2019",
        who=Actor.objects.get(name="The GP practice"),
        what="appointment",
    )
    return type(
        "Other", (), {"person": person, "story": story, "journey": journey, "tp": touchpoint}
    )


def test_sam_writes_his_story_and_it_is_his_and_audited(client_for, demo):
    sam_client = client_for(Role.COMMUNITY)
    page = sam_client.get(reverse("journeys:story-create", args=[demo.sam.pk]))
    assert "My story, in my own words" in page.content.decode()
    response = sam_client.post(
        reverse("journeys:story-create", args=[demo.sam.pk]),
        {"title": "Since the dog", "text": "<script>alert(1)</script> & the postman"},
    )
    story = Story.objects.get(person=demo.sam, title="Since the dog")
    assert response.status_code == 302
    assert story.recorded_by == demo.users["sam"]
    # Kept as typed, shown as words only.
    assert story.text == "<script>alert(1)</script> & the postman"
    body = sam_client.get(reverse("journeys:story", args=[story.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; the postman" in body
    assert "<script>alert(1)" not in body
    event = AuditEvent.objects.filter(verb="story.create", subject_id=story.pk).get()
    assert event.actor_id == demo.users["sam"].pk


def test_a_story_over_the_limit_is_refused_on_the_field_and_nothing_saved(client_for, demo):
    before = Story.objects.count()
    response = client_for(Role.COMMUNITY).post(
        reverse("journeys:story-create", args=[demo.sam.pk]),
        {"text": "a" * (STORY_MAX_CHARS + 1)},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The story is too long to keep here" in body
    assert 'id="text-error"' in body or "govuk-error-message" in body
    assert Story.objects.count() == before


def test_sam_changes_his_story(client_for, demo):
    story = demo.sam_story
    quotes = " ".join(q.text for q in story.quotes.all())
    response = client_for(Role.COMMUNITY).post(
        reverse("journeys:story-edit", args=[story.pk]),
        {"title": story.title, "text": story.text + "\nAnd now I help at the café. " + quotes},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert "And now I help at the café." in story.text


def test_sam_adds_a_touchpoint_and_a_gap_to_his_own_journey(client_for, demo):
    journey = demo.sam_journey
    count = journey.touchpoints.count()
    client = client_for(Role.COMMUNITY)
    response = client.post(
        reverse("journeys:touchpoint-add", args=[journey.pk]),
        {
            "when": "2024",
            "new_actor_name": "The lunch club",
            "new_actor_kind": "community_group",
            "what": "community_act",
            "felt": "helped",
        },
    )
    assert response.status_code == 302
    assert journey.touchpoints.count() == count + 1
    last = journey.touchpoints.order_by("-position").first()
    first = journey.touchpoints.order_by("position").first()
    response = client.post(
        reverse("journeys:gap-add", args=[journey.pk]),
        {"before": first.pk, "after": last.pk, "kind": "no_follow_up"},
    )
    assert response.status_code == 302
    assert journey.gaps.filter(before=first, after=last).exists()
    assert AuditEvent.objects.filter(verb="touchpoint.add", actor=demo.users["sam"]).exists()


def test_sam_cannot_write_anyone_elses_story_or_journey(client_for, demo, other):
    client = client_for(Role.COMMUNITY)
    tp_count = Touchpoint.objects.filter(journey=other.journey).count()
    attempts = [
        ("get", reverse("journeys:story-create", args=[other.person.pk]), {}),
        ("post", reverse("journeys:story-create", args=[other.person.pk]), {"text": "x"}),
        ("get", reverse("journeys:story-edit", args=[other.story.pk]), {}),
        ("post", reverse("journeys:story-edit", args=[other.story.pk]), {"text": "x"}),
        ("get", reverse("journeys:create", args=[other.person.pk]), {}),
        ("get", reverse("journeys:touchpoint-edit", args=[other.journey.pk, other.tp.pk])),
        (
            "post",
            reverse("journeys:touchpoint-add", args=[other.journey.pk]),
            {"when": "2020", "what": "appointment", "felt": "neither", "who": other.tp.actor_id},
        ),
        ("post", reverse("journeys:touchpoint-remove", args=[other.journey.pk, other.tp.pk]), {}),
        ("post", reverse("journeys:touchpoint-move", args=[other.journey.pk, other.tp.pk]), {}),
        ("post", reverse("journeys:gap-add", args=[other.journey.pk]), {}),
        # Sam's own touchpoint, reached through another person's journey.
        (
            "post",
            reverse("journeys:touchpoint-remove", args=[other.journey.pk, demo.sam_touchpoint.pk]),
            {},
        ),
    ]
    for method, url, *data in attempts:
        response = getattr(client, method)(url, *(data or [{}]))
        assert response.status_code in (403, 404), (method, url, response.status_code)
    other.story.refresh_from_db()
    assert other.story.text == "Robin's words"
    assert Touchpoint.objects.filter(journey=other.journey).count() == tp_count


def test_sam_asks_his_facilitator_who_sees_it_and_marks_it_done(client_for, demo):
    sam_client, facilitator = client_for(Role.COMMUNITY), client_for(Role.FACILITATOR)
    url = reverse("journeys:story-help-ask")
    response = sam_client.post(url, {"note": "Add the <b>GP</b> visit"})
    assert response.status_code == 302
    help_request = StoryHelpRequest.objects.get(person=demo.sam, done_at=None)
    again = sam_client.post(url, {"note": "again"})
    assert services.ERROR_HELP_ALREADY_ASKED in again.content.decode()
    assert StoryHelpRequest.objects.filter(person=demo.sam).count() == 1
    mine = sam_client.get(reverse("people:mine")).content.decode()
    assert "You have asked your facilitator to help with your story" in mine
    page = facilitator.get(reverse("people:detail", args=[demo.sam.pk])).content.decode()
    assert "asked you" in page and "Add the &lt;b&gt;GP&lt;/b&gt; visit" in page
    done = facilitator.post(
        reverse("journeys:story-help-done", args=[demo.sam.pk, help_request.pk])
    )
    assert done.status_code == 302
    help_request.refresh_from_db()
    assert help_request.done_by == demo.users["facilitator"]
    assert AuditEvent.objects.filter(verb="story_help.done", subject_id=help_request.pk).exists()


def test_asking_needs_a_named_facilitator(demo):
    person = person_create(
        actor=demo.users["facilitator"], alias="Nobody's", home_lsoa=demo.sam.home_lsoa
    )
    person.facilitators.clear()
    with pytest.raises(Exception, match="Nobody is named as your facilitator"):
        services.story_help_ask(actor=demo.users["sam"], person=person)
