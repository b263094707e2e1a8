"""Hostile input to the offer form: whatever is typed, the form answers with errors or a valid
offer, never a crash, and nothing is written unless everything is valid."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.matching.forms import OfferForm, PreferencesForm
from hct.matching.models import Offer, Window
from hct.matching.services import offer_create

pytestmark = pytest.mark.django_db

text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "0", "3", "1e309", "NaN", "inf", "12:00", "25:99", "7", "abc"]),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    capacity=text, reach=text, weekday=text, starts=text, ends=text, group=text,
    kinds=st.lists(st.sampled_from(["shopping", "pet_care", "nonsense", ""]), max_size=3),
)  # fmt: skip
def test_the_offer_form_never_crashes_and_writes_all_or_nothing(
    demo, capacity, reach, weekday, starts, ends, group, kinds
):
    before = (Offer.objects.count(), Window.objects.count())
    data = {
        "group_name": group, "kinds": kinds, "base_lsoa": demo.sam.home_lsoa.pk,
        "reach_km": reach, "capacity_per_week": capacity, "weekday": weekday,
        "starts": starts, "ends": ends,
    }  # fmt: skip
    form = OfferForm(data, actor=demo.users["facilitator"])
    if not form.is_valid():
        assert form.errors
        assert (Offer.objects.count(), Window.objects.count()) == before
        return
    offer = offer_create(actor=demo.users["facilitator"], **form.service_arguments())
    assert offer.capacity_per_week >= 0 and offer.kinds
    assert all(w.ends > w.starts for w in offer.windows.all())


@settings(max_examples=60, deadline=None)
@given(max_km=text, weekday=text, starts=text, ends=text)
def test_the_preferences_form_never_crashes(max_km, weekday, starts, ends):
    form = PreferencesForm({"max_km": max_km, "weekday": weekday, "starts": starts, "ends": ends})
    if form.is_valid():
        assert 0 <= form.cleaned_data["max_km"] <= 30
        for day, start, end in form.windows():
            assert end > start and 0 <= day <= 6
