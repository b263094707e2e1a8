"""Signifiers (issue 13 item 3): a cycle's facilitators set triads and dyads; Sam places his own
story on them, through the page and service his facilitator uses too; across many stories the
pattern is published only through disclosure control."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.journeys import patterns, selectors, services
from hct.journeys.models import Signification, Signifier
from hct.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(demo):
    facilitator = demo.users["facilitator"]
    cycle = selectors.cycle_for_person(demo.sam)
    assert cycle is not None
    triad = services.signifier_add(
        actor=facilitator,
        cycle=cycle,
        kind="triad",
        question="What helped most?",
        labels=["People I know", "Community groups", "Services"],
    )
    dyad = services.signifier_add(
        actor=facilitator,
        cycle=cycle,
        kind="dyad",
        question="How did it feel?",
        labels=["On my own", "Part of something"],
    )
    return type("Asked", (), {"cycle": cycle, "triad": triad, "dyad": dyad})


def test_facilitator_sets_questions_and_the_limits_hold(demo, asked):
    facilitator = demo.users["facilitator"]
    for n in range(2):
        services.signifier_add(
            actor=facilitator, cycle=asked.cycle, kind="triad", question=f"Q{n}", labels="abc"
        )
    with pytest.raises(ValidationError) as refused:
        services.signifier_add(
            actor=facilitator, cycle=asked.cycle, kind="triad", question="Q4", labels="abc"
        )
    assert refused.value.message_dict["kind"] == [services.ERROR_TOO_MANY.format(most=3)]
    with pytest.raises(ValidationError) as refused:
        services.signifier_add(
            actor=facilitator, cycle=asked.cycle, kind="dyad", question="Q", labels=["a", ""]
        )
    assert refused.value.message_dict["label_b"] == [services.ERROR_LABEL_EMPTY]
    with pytest.raises(ValidationError):
        services.signifier_add(
            actor=demo.users["sam"], cycle=asked.cycle, kind="dyad", question="Q", labels="ab"
        )
    assert AuditEvent.objects.filter(verb="signifier.add", subject_id=asked.triad.pk).exists()


def test_sam_signifies_his_story_on_his_page(client_for, demo, asked):
    client = client_for(Role.COMMUNITY)
    url = reverse("journeys:story-signify", args=[demo.sam_story.pk])
    page = client.get(url).content.decode()
    assert "What helped most?" in page and "Community groups" in page
    triad = services.field_name(asked.triad, 0)[:-2]
    response = client.post(
        url,
        {f"{triad}_a": "6", f"{triad}_b": "3", f"{triad}_c": "1", f"s{asked.dyad.pk}": "80"},
    )
    assert response.status_code == 302
    placed = selectors.significations_of(demo.sam_story)
    assert (placed[asked.triad.pk].corner_a, placed[asked.triad.pk].corner_b) == (600, 300)
    assert sum(placed[asked.triad.pk].weights) == pytest.approx(1)
    assert placed[asked.dyad.pk].slider == 800
    assert placed[asked.triad.pk].recorded_by == demo.users["sam"]
    # Shown again as he gave it.
    again = client.get(url).content.decode()
    assert 'value="6"' in again and 'value="80"' in again
    # Blank removes an answer.
    client.post(url, {f"{triad}_a": "6", f"{triad}_b": "3", f"{triad}_c": "1"})
    assert asked.dyad.pk not in selectors.significations_of(demo.sam_story)


def test_bad_answers_are_refused_on_the_field_and_nothing_saved(client_for, demo, asked):
    client = client_for(Role.COMMUNITY)
    url = reverse("journeys:story-signify", args=[demo.sam_story.pk])
    triad = f"s{asked.triad.pk}"
    response = client.post(
        url,
        {
            f"{triad}_a": "6",
            f"{triad}_b": "<script>alert(1)</script>",
            f"s{asked.dyad.pk}": "50",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{triad}_b_error"' in body
    assert "Enter a number from 0 to 10" in body
    assert "<script>alert(1)</script>" not in body
    assert not Signification.objects.filter(story=demo.sam_story).exists()
    zero = client.post(url, {f"{triad}_a": "0", f"{triad}_b": "0", f"{triad}_c": "0"})
    assert "Give at least one of the three a number above 0" in zero.content.decode()
    assert not Signification.objects.filter(story=demo.sam_story).exists()


def test_sam_cannot_signify_anyone_elses_story(client_for, demo, asked):
    other = person_create(
        actor=demo.users["facilitator"], alias="Robin", home_lsoa=demo.sam.home_lsoa
    )
    story = services.story_create(actor=demo.users["facilitator"], person=other, text="Mine")
    url = reverse("journeys:story-signify", args=[story.pk])
    client = client_for(Role.COMMUNITY)
    assert client.get(url).status_code == 403
    triad = f"s{asked.triad.pk}"
    response = client.post(url, {f"{triad}_a": "5"})
    assert response.status_code == 403
    assert not Signification.objects.filter(story=story).exists()
    # The facilitator named to Robin may do it with them.
    response = client_for(Role.FACILITATOR).post(url, {f"{triad}_a": "5"})
    assert response.status_code == 302
    assert Signification.objects.get(story=story).corner_a == 1000


def test_a_question_from_another_cycle_is_refused(demo, asked):
    other_cycle = type(asked.cycle).objects.exclude(pk=asked.cycle.pk).first()
    if other_cycle is None:
        pytest.skip("the demo has one cycle")
    elsewhere = Signifier.objects.create(
        cycle=other_cycle, kind="dyad", question="Q", label_a="a", label_b="b", position=1
    )
    with pytest.raises(ValidationError, match="not one asked"):
        services.story_signify(
            actor=demo.users["sam"], story=demo.sam_story, signifiers=[elsewhere], answers={}
        )


def _many(demo, asked, points):
    facilitator = demo.users["facilitator"]
    for i, (a, b, c) in enumerate(points):
        person = person_create(actor=facilitator, alias=f"P{i}", home_lsoa=demo.sam.home_lsoa)
        story = services.story_create(actor=facilitator, person=person, text="words")
        services.story_signify(
            actor=facilitator,
            story=story,
            signifiers=[asked.triad],
            answers={
                services.field_name(asked.triad, 0): a,
                services.field_name(asked.triad, 1): b,
                services.field_name(asked.triad, 2): c,
            },
        )


def test_the_pattern_across_stories_passes_disclosure_control(client_for, demo, asked):
    # 12 stories mostly "people I know", 3 mostly "services": the 3 must not be shown.
    _many(demo, asked, [("10", "0", "0")] * 12 + [("0", "0", "10")] * 3)
    pattern = patterns.triad_pattern(
        asked.triad,
        selectors.signifier_answers(
            asked.triad, selectors.stories_in(type(asked.cycle.neighbourhood).objects.all())
        ),
    )
    shown = {row.words: row.count.display for row in pattern.rows}
    near_a = next(w for w in shown if w.startswith("People I know about 78%"))
    near_c = next(w for w in shown if w.endswith("Services about 78%"))
    assert shown[near_c] == "*"
    # 12 rounds to 10; with one cell hidden, the next smallest non-zero is hidden too
    # (secondary suppression), so the total gives nothing away.
    assert shown[near_a] == "*"
    assert pattern.total.display == "15"
    page = client_for(Role.PARTNER).get(
        reverse("journeys:signifier-patterns", args=[asked.cycle.pk])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "What helped most?" in body and "<svg" in body and ">12<" not in body


def test_signifiers_filter_the_gap_analysis(client_for, demo, asked):
    services.story_signify(
        actor=demo.users["sam"],
        story=demo.sam_story,
        signifiers=[asked.triad],
        answers={
            services.field_name(asked.triad, 2): "9",
            services.field_name(asked.triad, 0): "1",
        },
    )
    journeys = selectors.journeys_visible(demo.users["facilitator"])
    leaning_c = selectors.journeys_leaning(journeys, asked.triad, "c")
    leaning_a = selectors.journeys_leaning(journeys, asked.triad, "a")
    assert demo.sam_journey in leaning_c and demo.sam_journey not in leaning_a


def test_gap_analysis_and_what_we_keep_hearing_filter_by_a_signifier(client_for, demo, asked):
    services.story_signify(
        actor=demo.users["sam"],
        story=demo.sam_story,
        signifiers=[asked.triad],
        answers={services.field_name(asked.triad, 0): "10"},
    )
    facilitator = client_for(Role.FACILITATOR)
    url = reverse("journeys:analysis-neighbourhood", args=[asked.cycle.neighbourhood.slug])
    everyone = facilitator.get(url).content.decode()
    assert f'value="{asked.triad.pk}-a"' in everyone
    leaning_a = facilitator.get(url, {"meaning": f"{asked.triad.pk}-a"}).content.decode()
    assert "Showing only the journeys of people who placed their story" in leaning_a
    assert demo.sam_journey.title in leaning_a
    leaning_b = facilitator.get(url, {"meaning": f"{asked.triad.pk}-b"}).content.decode()
    assert demo.sam_journey.title not in leaning_b
    # A meaning not on offer changes nothing.
    assert "Showing only" not in facilitator.get(url, {"meaning": "999-a"}).content.decode()
    # One story placed that way is too few to narrow "what we keep hearing" by.
    themes = client_for(Role.PARTNER).get(
        reverse("learning:themes"), {"meaning": f"{asked.triad.pk}-a"}
    )
    assert themes.status_code == 200
    assert "Too few people placed their story this way" in themes.content.decode()
