"""Matching pages: a facilitator runs, reviews and decides; a community member sees their own
matches with no more than an alias, the need and the neighbourhood of the other side; forms say
what is wrong and where; another facilitator's scope stops at their neighbourhoods."""

import pytest
from django.urls import reverse

from hct.core.models import Job
from hct.core.roles import Role
from hct.matching import services
from hct.matching.models import Match, Offer
from hct.places.models import Neighbourhood
from tests.people.helpers import facilitator, signed_in

pytestmark = pytest.mark.django_db


def _run(demo):
    services.match_run(actor=demo.users["facilitator"])
    return Match.objects.get(need=demo.sam_shopping_need)


def test_a_facilitator_runs_matching_and_confirms_a_proposal(demo, client_for, settings):
    settings.HCT_JOBS_INLINE = True
    client = client_for(Role.FACILITATOR)
    response = client.post(reverse("matching:run"), follow=True)
    assert "The matching run proposed" in response.content.decode()
    job = Job.objects.get(kind="matching.run")
    assert (job.status, job.progress, job.total) == (Job.Status.DONE, 3, 3)
    assert job.result["url"] == reverse("matching:home")
    match = Match.objects.get(need=demo.sam_shopping_need)
    page = client.get(reverse("matching:match", args=[match.pk])).content.decode()
    assert "Help getting to the shops" in page and "Confirm this match" in page
    client.post(reverse("matching:confirm", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    client.post(reverse("matching:respond", args=[match.pk]), {"side": "need", "answer": "accept"})
    client.post(reverse("matching:respond", args=[match.pk]), {"side": "offer", "answer": "accept"})
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    response = client.post(
        reverse("matching:hours", args=[match.pk]), {"hours": "0", "on": "2026-01-01"}
    )
    assert "Hours must be more than 0" in response.content.decode()


def test_the_review_page_lists_proposals_in_a_bounded_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    _run(demo)
    client = client_for(Role.FACILITATOR)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("matching:home"))
    assert "Proposals to review" in response.content.decode()


def test_sam_sees_his_matches_and_answers_only_for_his_side(demo, client_for):
    match = _run(demo)
    services.match_confirm(actor=demo.users["facilitator"], match=match)
    client = client_for(Role.COMMUNITY)
    page = client.get(reverse("matching:match", args=[match.pk])).content.decode()
    assert "Chris (synthetic)" in page and "Yes, I would like this" in page
    # Only an alias, the offer and the neighbourhood: never the other's own words.
    assert match.offer.in_their_words not in page
    response = client.post(
        reverse("matching:respond", args=[match.pk]), {"side": "offer", "answer": "accept"}
    )
    assert response.status_code == 403
    client.post(reverse("matching:respond", args=[match.pk]), {"side": "need", "answer": "accept"})
    match.refresh_from_db()
    assert match.need_side_accepted is True and match.offer_side_accepted is None
    mine = client.get(reverse("matching:mine")).content.decode()
    assert f"Match {match.pk}" in mine and "You have given" in mine


def test_another_facilitator_cannot_open_a_match_outside_their_scope(demo):
    match = _run(demo)
    elsewhere = Neighbourhood.objects.exclude(pk=demo.first_neighbourhood.pk).filter(
        kind=Neighbourhood.Kind.WARD
    )[:1]
    other = facilitator(demo, "faraway", elsewhere)
    assert signed_in(other).get(reverse("matching:match", args=[match.pk])).status_code == 403


def test_the_offer_form_says_what_is_wrong_and_where(demo, client_for):
    client = client_for(Role.FACILITATOR)
    response = client.post(
        reverse("matching:offer-add"),
        {"capacity_per_week": "-1", "reach_km": "2", "weekday": "1", "starts": "12:00"},
    )
    page = response.content.decode()
    for message in (
        "Choose the person offering, or name the group",
        "Choose at least one kind of help",
        "How many people a week must be 0 or more",
        "Give the day, the time it starts and the time it ends, or none of them",
    ):
        assert message in page
    assert not Offer.objects.filter(group_name="The knitting circle").exists()
    response = client.post(
        reverse("matching:offer-add"),
        {
            "group_name": "The knitting circle",
            "service": str(demo.community_asset.pk),
            "kinds": ["companionship"],
            "base_lsoa": demo.sam.home_lsoa.pk,
            "reach_km": "2",
            "capacity_per_week": "3",
            "weekday": "2",
            "starts": "14:00",
            "ends": "16:00",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(group_name="The knitting circle")
    assert [str(w) for w in offer.windows.all()] == ["Wednesday 14:00–16:00"]
    assert offer.service == demo.community_asset


def test_preferences_are_saved_for_the_next_run(demo, client_for):
    need = demo.sam_shopping_need
    client = client_for(Role.FACILITATOR)
    response = client.post(
        reverse("matching:preferences", args=[need.pk]),
        {"max_km": "1", "weekday": "1", "starts": "11:00", "ends": "10:00"},
    )
    assert "The time it ends must be after the time it starts" in response.content.decode()
    client.post(reverse("matching:preferences", args=[need.pk]), {"max_km": "1", "two_way": ""})
    need.preferences.refresh_from_db()
    assert need.preferences.max_km == 1


def test_the_person_page_shows_offers_matches_and_what_they_have_given_back(demo, client_for):
    match = _run(demo)
    page = client_for(Role.FACILITATOR).get(reverse("people:detail", args=[demo.sam.pk]))
    text = page.content.decode()
    assert "Good company on a walk" in text and f"Match {match.pk}" in text
    assert reverse("matching:preferences", args=[demo.sam_shopping_need.pk]) in text
    own = client_for(Role.COMMUNITY).get(reverse("people:detail", args=[demo.sam.pk]), follow=True)
    assert "Help given and received" in own.content.decode()


def test_the_export_holds_their_own_matching_records_and_not_the_other_sides(demo):
    from hct.matching.person_data import export

    match = _run(demo)
    data = export(demo.sam)
    assert data["offers"][0]["kinds"] == ["companionship"]
    assert {m["match"] for m in data["matches"]} >= {match.pk}
    assert "Chris" not in str(data)


def test_a_paused_offer_is_left_out_of_the_next_run(demo, client_for):
    offer = Offer.objects.get(group_name="Neighbourhood dog walkers (synthetic)")
    client = client_for(Role.FACILITATOR)
    response = client.post(reverse("matching:offer-active", args=[offer.pk]), {"active": "no"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.active is False
    services.match_run(actor=demo.users["facilitator"])
    assert not Match.objects.filter(offer=offer).exists()
    client.post(reverse("matching:offer-active", args=[offer.pk]), {"active": "yes"})
    offer.refresh_from_db()
    assert offer.active is True


def test_proposals_to_review_come_urgent_first(demo):
    from hct.matching.selectors import review_lists

    services.match_run(actor=demo.users["facilitator"])
    ranks = {"urgent": 0, "soon": 1, "routine": 2}
    listed = [ranks[m.need.urgency] for m in review_lists(demo.users["facilitator"])["proposed"]]
    assert listed == sorted(listed) and len(set(listed)) > 1


def test_after_a_withdrawal_the_other_side_sees_no_more_of_them(demo, client_for):
    from django.utils import timezone

    from hct.people.models import Purpose
    from hct.people.services import consent_withdraw

    match = _run(demo)  # Sam's shopping, with Chris
    chris = match.offer.person
    services.match_confirm(actor=demo.users["facilitator"], match=match)
    from hct.matching.selectors import seen_by

    assert seen_by(chris, [match])[0][1][0][1].alias == demo.sam.alias
    consent_withdraw(actor=demo.users["facilitator"], person=demo.sam, purpose=Purpose.MATCHING,
                     on=timezone.localdate())  # fmt: skip
    other = seen_by(chris, [match])[0][1][0][1]
    assert demo.sam.alias not in vars(other).values()
    page = client_for(Role.COMMUNITY).get(reverse("matching:match", args=[match.pk]))
    assert "Yes, I would like this" not in page.content.decode()
    response = client_for(Role.COMMUNITY).post(
        reverse("matching:respond", args=[match.pk]), {"side": "need", "answer": "accept"},
        follow=True,
    )  # fmt: skip
    assert "no longer consents to matching" in response.content.decode()
