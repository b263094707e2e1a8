import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from hct.learning import services
from hct.learning.forms import WellbeingForm
from hct.learning.models import ERROR_FOLLOW_UP_FIRST, WellbeingCheck
from tests.learning.helpers import BASELINE, LATER, answers, person, spare_lsoas

ON = dt.date(2026, 2, 1)


def test_a_second_baseline_for_the_same_person_is_refused(demo):
    p = person(spare_lsoas(1)[0], "Alex")
    answers(None, p, BASELINE, ON)
    with pytest.raises(ValidationError) as error:
        answers(None, p, BASELINE, ON + dt.timedelta(days=5))
    assert "Alex already has a first answer" in error.value.message_dict["wave"][0]
    assert WellbeingCheck.objects.filter(person=p).count() == 1


def test_a_later_answer_needs_the_first_and_comes_after_it(demo):
    p = person(spare_lsoas(1)[0])
    with pytest.raises(ValidationError) as error:
        answers(None, p, LATER, ON)
    assert error.value.message_dict == {"wave": [ERROR_FOLLOW_UP_FIRST]}
    answers(None, p, BASELINE, ON)
    with pytest.raises(ValidationError) as error:
        answers(None, p, LATER, ON - dt.timedelta(days=1))
    assert "asked_on" in error.value.message_dict
    assert WellbeingCheck.objects.filter(person=p).count() == 1


@pytest.mark.parametrize("score", [-1, 11, 100])
def test_a_score_outside_0_to_10_is_refused_and_nothing_written(demo, score):
    p = person(spare_lsoas(1)[0])
    with pytest.raises(ValidationError) as error:
        answers(None, p, BASELINE, ON, life=score)
    assert "life_satisfaction" in error.value.message_dict
    assert not WellbeingCheck.objects.filter(person=p).exists()


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.text(alphabet="ab -x", max_size=8), st.integers(-1000, 1000).map(str)))
def test_the_form_takes_only_whole_numbers_from_0_to_10(value):
    data = {
        "wave": "baseline",
        "asked_on": "2026-02-01",
        "worthwhile": "5",
        "happy": "5",
        "anxious": "5",
        "lonely": "some",
        "consent_how": "in_person",
        "consent": "on",
        "life_satisfaction": value,
    }
    form = WellbeingForm(data)
    stripped = value.strip()
    valid = stripped.lstrip("-").isdigit() and stripped.isascii() and 0 <= int(stripped) <= 10
    assert form.is_valid() == valid
    if not valid:
        assert form.errors["life_satisfaction"]


def test_withdrawing_removes_every_answer_from_every_figure(demo, client_for):
    sam = demo.sam
    assert WellbeingCheck.objects.filter(person=sam).exists()  # the demo asked him twice
    client = client_for("facilitator")
    response = client.post(reverse("learning:wellbeing-withdraw", args=[sam.pk]))
    assert response.status_code == 302
    assert not WellbeingCheck.objects.filter(person=sam).exists()


def test_recording_through_the_page_needs_consent_and_says_what_is_wrong(demo, client_for):
    p = demo.sam
    services.wellbeing_withdraw(actor=None, person=p)
    client = client_for("facilitator")
    url = reverse("learning:wellbeing-record", args=[p.pk])
    data = {
        "wave": "baseline",
        "asked_on": "2026-02-01",
        "life_satisfaction": "11",
        "worthwhile": "5",
        "happy": "5",
        "anxious": "5",
        "lonely": "some",
        "consent_how": "in_person",
    }
    page = client.post(url, data).content.decode()
    assert "Give a whole number from 0 to 10" in page
    assert "Answers can be recorded only when the person agrees" in page
    assert not WellbeingCheck.objects.filter(person=p).exists()
    response = client.post(url, {**data, "life_satisfaction": "7", "consent": "on"})
    assert response.status_code == 302
    page = client.post(url, {**data, "life_satisfaction": "7", "consent": "on"}).content.decode()
    assert "already has a first answer" in page
    assert WellbeingCheck.objects.filter(person=p).count() == 1


def test_the_person_page_shows_their_answers_to_their_facilitator_only(demo, client_for):
    page = (
        client_for("facilitator").get(reverse("people:detail", args=[demo.sam.pk])).content.decode()
    )
    assert "How they are doing" in page


def test_a_persons_answers_are_in_their_export_and_go_with_their_erasure(demo):
    from hct.people.selectors import person_export
    from hct.people.services import person_erase

    sam = demo.sam
    exported = person_export(actor=demo.users["facilitator"], person=sam)
    waves = [answer["wave"] for answer in exported["wellbeing"]]
    assert waves == ["baseline", "follow_up"]
    person_erase(actor=demo.users["facilitator"], person=sam)
    assert not WellbeingCheck.objects.filter(person_id=sam.pk).exists()
