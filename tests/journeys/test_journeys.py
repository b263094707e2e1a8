import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.core.roles import Role
from hct.journeys import selectors, services
from hct.journeys.models import Gap, Journey, Touchpoint
from hct.people.models import Person
from hct.people.services import consent_withdraw, person_create
from hct.systemmap.models import Actor, Link

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder(demo):
    """A fresh person and journey, recorded by the demo facilitator, and the actors to use."""
    actor = demo.users["facilitator"]
    person = person_create(
        actor=actor, alias="Robin (not their real name)", home_lsoa=demo.sam.home_lsoa
    )
    journey = services.journey_create(actor=actor, person=person, title="Robin's journey")
    gp = Actor.objects.get(name="The GP practice")
    iapt = Actor.objects.get(name="Talking therapies (IAPT)")

    def add(when, who=gp, what="appointment", felt="neither"):
        return services.touchpoint_add(
            actor=actor, journey=journey, when=when, who=who, what=what, felt=felt
        )

    return type(
        "Recorder",
        (),
        {
            "actor": actor,
            "person": person,
            "journey": journey,
            "gp": gp,
            "iapt": iapt,
            "add": staticmethod(add),
        },
    )


def _order(journey):
    return list(
        Touchpoint.objects.filter(journey=journey)
        .order_by("position")
        .values_list("when", flat=True)
    )


def test_touchpoints_take_their_place_in_time_whatever_order_they_are_told(recorder):
    recorder.add("2020")
    recorder.add("2018")
    recorder.add("spring 2019")
    recorder.add("March 2019")
    recorder.add("the 1990s")
    assert _order(recorder.journey) == ["the 1990s", "2018", "spring 2019", "March 2019", "2020"]
    # Told in order, and the dates allow it: the order told is kept.
    recorder.add("February 2021")
    recorder.add("2021")
    assert _order(recorder.journey)[-2:] == ["February 2021", "2021"]
    positions = list(
        recorder.journey.touchpoints.order_by("position").values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4, 5, 6, 7]


def test_overlapping_dates_can_be_reordered_but_not_against_the_dates(recorder):
    first = recorder.add("2019")
    second = recorder.add("spring 2019")
    services.touchpoint_move(actor=recorder.actor, touchpoint=second, direction="up")
    assert _order(recorder.journey) == ["spring 2019", "2019"]
    later = recorder.add("2021")
    with pytest.raises(ValidationError) as error:
        services.touchpoint_move(actor=recorder.actor, touchpoint=later, direction="up")
    assert "must stay in time order" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.touchpoint_move(actor=recorder.actor, touchpoint=later, direction="down")
    assert "already at the end" in error.value.messages[0]
    first.refresh_from_db()
    assert first.position == 2


def test_a_new_date_the_order_contradicts_is_refused(recorder):
    recorder.add("2018")
    later = recorder.add("2020")
    with pytest.raises(ValidationError) as error:
        services.touchpoint_update(
            actor=recorder.actor,
            touchpoint=later,
            when="2016",
            who=recorder.gp,
            what="appointment",
            felt="neither",
        )
    assert "must stay in time order" in error.value.message_dict["when"][0]
    later.refresh_from_db()
    assert later.when == "2020"


def test_a_date_that_cannot_be_read_is_refused_on_its_field(recorder):
    with pytest.raises(ValidationError) as error:
        recorder.add("spring 20199")
    assert "is not a date we can read" in error.value.message_dict["when"][0]
    assert not recorder.journey.touchpoints.exists()


def test_another_persons_private_actor_cannot_be_used(recorder, demo):
    sams_family = Actor.objects.get(name="Sam's family")
    with pytest.raises(ValidationError) as error:
        recorder.add("2018", who=sams_family)
    assert services.ERROR_ACTOR_NOT_HERE in error.value.message_dict["who"]


def test_someone_new_named_while_recording_becomes_an_actor(recorder):
    touchpoint = services.touchpoint_add(
        actor=recorder.actor,
        journey=recorder.journey,
        when="2019",
        new_actor_name="Robin's brother",
        new_actor_kind="family",
        what="community_act",
        felt="helped",
    )
    assert touchpoint.actor.private and touchpoint.actor.person == recorder.person
    again = services.touchpoint_add(
        actor=recorder.actor,
        journey=recorder.journey,
        when="2020",
        new_actor_name="robin's BROTHER",
        new_actor_kind="family",
        what="community_act",
    )
    assert again.actor == touchpoint.actor


def test_a_gap_joins_two_touchpoints_of_one_journey_earlier_first(recorder, demo):
    referral = recorder.add("March 2019", what="referral")
    assessment = recorder.add("August 2019", who=recorder.iapt, what="assessment", felt="hindered")
    sams = demo.sam_touchpoint
    with pytest.raises(ValidationError) as error:
        services.gap_add(
            actor=recorder.actor,
            journey=recorder.journey,
            before=referral,
            after=sams,
            kind="long_wait",
        )
    assert services.ERROR_GAP_OTHER_JOURNEY in error.value.message_dict["before"]
    with pytest.raises(ValidationError) as error:
        services.gap_add(
            actor=recorder.actor,
            journey=recorder.journey,
            before=assessment,
            after=referral,
            kind="long_wait",
        )
    assert services.ERROR_GAP_ORDER in error.value.message_dict["after"]
    assert not Gap.objects.filter(journey=recorder.journey).exists()


def test_recording_a_gap_marks_the_link_between_the_two_actors(recorder):
    referral = recorder.add("March 2019", what="referral")
    assessment = recorder.add("August 2019", who=recorder.iapt, what="assessment")
    before = Link.objects.filter(
        from_actor=recorder.gp, to_actor=recorder.iapt, kind="referral"
    ).first()
    marked_before = before.times_marked if before else 0
    services.gap_add(
        actor=recorder.actor,
        journey=recorder.journey,
        before=referral,
        after=assessment,
        kind="long_wait",
    )
    link = Link.objects.get(from_actor=recorder.gp, to_actor=recorder.iapt, kind="referral")
    assert link.status == "broken" and link.times_marked == marked_before + 1
    services.gap_add(
        actor=recorder.actor,
        journey=recorder.journey,
        before=referral,
        after=assessment,
        kind="told_story_again",
    )
    assert (
        Link.objects.get(from_actor=recorder.gp, to_actor=recorder.iapt, kind="information").status
        == "missing"
    )
    # An appointment that would not move, at one service: the link from the person to it.
    first = recorder.add("October 2019", who=recorder.iapt)
    second = recorder.add("November 2019", who=recorder.iapt, felt="hindered")
    services.gap_add(
        actor=recorder.actor,
        journey=recorder.journey,
        before=first,
        after=second,
        kind="appointment_not_flexible",
    )
    own = Actor.objects.get(person=recorder.person, kind="person")
    assert Link.objects.get(from_actor=own, to_actor=recorder.iapt).status == "broken"


def test_a_move_across_a_gap_is_refused_and_a_removal_takes_its_gaps(recorder):
    a = recorder.add("2019")
    b = recorder.add("2019", who=recorder.iapt)
    c = recorder.add("2019")
    services.gap_add(
        actor=recorder.actor, journey=recorder.journey, before=a, after=b, kind="no_follow_up"
    )
    with pytest.raises(ValidationError) as error:
        services.touchpoint_move(actor=recorder.actor, touchpoint=b, direction="up")
    assert "wrong side of the gap" in error.value.messages[0]
    services.touchpoint_remove(actor=recorder.actor, touchpoint=b)
    assert not Gap.objects.filter(journey=recorder.journey).exists()
    c.refresh_from_db()
    assert c.position == 2


def test_a_story_is_shown_exactly_as_typed_and_never_run(client_for, demo):
    text = (
        "Line one <script>alert('x')</script> & <b>bold</b>\n\n"
        "  indented  لا أستطيع 🐕 &amp; \u202etext\n"
        "The part I agree to share."
    )
    story = services.story_create(actor=demo.users["facilitator"], person=demo.sam, text=text)
    services.quote_add(
        actor=demo.users["facilitator"],
        story=story,
        text="The part I agree to share.",
        agreed_on=dt.date(2026, 1, 1),
    )
    assert story.text == text
    body = (
        client_for(Role.FACILITATOR)
        .get(reverse("journeys:story", args=[story.pk]))
        .content.decode()
    )
    assert "<script>alert" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in body
    assert "  indented  لا أستطيع 🐕 &amp;amp; \u202etext" in body
    assert '<mark class="hct-quote-mark">The part I agree to share.</mark>' in body


def test_story_html_lets_through_only_its_own_marks():
    html = selectors.story_html(
        '<mark onclick="x">a</mark> <img src=x onerror=alert(1)>', ["a</mark>"]
    )
    # Every tag in the result is ours; what the person typed is all text.
    assert re.findall(r"<[^>]*>", html) == ['<mark class="hct-quote-mark">', "</mark>"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_quote_must_be_a_passage_of_the_story_and_stays_one(demo):
    story = demo.sam_story
    with pytest.raises(ValidationError) as error:
        services.quote_add(
            actor=demo.users["facilitator"],
            story=story,
            text="Words Sam never said.",
            agreed_on=dt.date(2026, 1, 1),
        )
    assert services.ERROR_QUOTE_NOT_IN_STORY in error.value.message_dict["text"]
    with pytest.raises(ValidationError) as error:
        services.story_update(actor=demo.users["facilitator"], story=story, text="A shorter story.")
    assert "no longer holds a passage marked as a quote" in error.value.message_dict["text"][0]


def test_the_story_for_a_big_conversation_needs_that_consent(client_for, demo):
    url = reverse("journeys:story-conversation", args=[demo.sam_story.pk])
    response = client_for(Role.FACILITATOR).get(url)
    assert response.status_code == 200 and "complete mental breakdown" in response.content.decode()
    consent_withdraw(
        actor=demo.users["facilitator"],
        person=demo.sam,
        purpose="story_at_conversation",
        on=dt.date.today(),
    )
    response = client_for(Role.FACILITATOR).get(url)
    body = response.content.decode()
    assert response.status_code == 409
    assert "has not agreed to their story being told at a Big Conversation" in body
    assert "complete mental breakdown" not in body


def test_the_journey_page_draws_the_timeline_and_its_table(client_for, demo):
    journey = demo.sam_journey
    body = (
        client_for(Role.FACILITATOR)
        .get(reverse("journeys:detail", args=[journey.pk]))
        .content.decode()
    )
    assert body.count('class="hct-timeline__point ') == 14
    table = body.split('id="touchpoint-table"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row">') == 15  # a heading row and 14 touchpoints
    for lane in ("Person and family", "Community", "Local services", "Acute services"):
        assert f">{lane}</text>" in body
    assert body.count('stroke-dasharray="7 5"') == 6  # one dashed line per gap
    assert 'role="img" aria-labelledby="timeline-title timeline-desc"' in body
    helped = body.split('<h3 class="govuk-heading-m">Helped</h3>')[1].split("</ul>")[0]
    assert "The postman" in helped and "The community centre" in helped
    hindered = body.split('<h3 class="govuk-heading-m">Hindered</h3>')[1].split("</ul>")[0]
    assert "back of the queue" not in hindered and "Talking therapies (IAPT)" in hindered
    assert "Sam&#x27;s family" in body  # his facilitator may see the private name


def _post(client, url, data, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url, data, **headers)


def _touchpoint_data(**changes):
    return {
        "when": "2022",
        "who": Actor.objects.get(name="The postman").pk,
        "what": "community_act",
        "felt": "helped",
        "note": "",
        **changes,
    }


def test_quick_recording_with_htmx_swaps_the_journey_and_moves_focus(client_for, demo):
    client = client_for(Role.FACILITATOR)
    journey = demo.sam_journey
    response = _post(
        client,
        reverse("journeys:touchpoint-add", args=[journey.pk]),
        _touchpoint_data(when="2021"),  # the same year as the last: the person says the order
        htmx=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="journey-body">') and "<html" not in body
    trigger = json.loads(response["HX-Trigger-After-Settle"])["hct-journey"]
    assert trigger["focus"] == "touchpoint-when" and "number 15" in trigger["announce"]
    added = journey.touchpoints.get(position=15)
    response = _post(
        client,
        reverse("journeys:touchpoint-move", args=[journey.pk, added.pk]),
        {"direction": "up"},
        htmx=True,
    )
    trigger = json.loads(response["HX-Trigger-After-Settle"])["hct-journey"]
    assert trigger["focus"] == f"move-up-{added.pk}"
    added.refresh_from_db()
    assert added.position == 14
    response = _post(
        client,
        reverse("journeys:touchpoint-add", args=[journey.pk]),
        _touchpoint_data(when="spring 20199"),
        htmx=True,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert (
        json.loads(response["HX-Trigger-After-Settle"])["hct-journey"]["focus"]
        == "journey-error-summary"
    )
    assert journey.touchpoints.count() == 15


def test_quick_recording_works_without_javascript(client_for, demo):
    client = client_for(Role.FACILITATOR)
    journey = demo.sam_journey
    response = _post(
        client, reverse("journeys:touchpoint-add", args=[journey.pk]), _touchpoint_data()
    )
    assert response.status_code == 302 and response["Location"].endswith("#journey-editor")
    response = _post(
        client,
        reverse("journeys:touchpoint-add", args=[journey.pk]),
        _touchpoint_data(who="", new_actor_name=""),
    )
    body = response.content.decode()
    assert "<html" in body and "There is a problem" in body and "Choose who or what it was" in body
    first, last = (
        journey.touchpoints.order_by("position")[0],
        journey.touchpoints.order_by("-position")[0],
    )
    response = _post(
        client,
        reverse("journeys:gap-add", args=[journey.pk]),
        {"before": last.pk, "after": first.pk, "kind": "long_wait"},
    )
    assert services.ERROR_GAP_ORDER in response.content.decode()
    response = _post(client, reverse("journeys:touchpoint-remove", args=[journey.pk, last.pk]), {})
    assert response.status_code == 302 and journey.touchpoints.count() == 14


def test_the_journey_list_makes_a_constant_number_of_queries(
    client_for, demo, django_assert_max_num_queries
):
    client = client_for(Role.FACILITATOR)
    client.get(reverse("journeys:list"))
    for index in range(20):
        person = person_create(
            actor=demo.users["facilitator"], alias=f"P{index}", home_lsoa=demo.sam.home_lsoa
        )
        services.journey_create(actor=demo.users["facilitator"], person=person, title=f"J{index}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("journeys:list"))
    assert re.search(r"\d+ journeys", response.content.decode())
    assert Journey.objects.count() >= 33
    assert Person.objects.filter(alias="P19").exists()
