"""Community campaigns: the public page of Lift Me Up, support counted once and never named,
dates checked, and commitments made in reply tracked like any other."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from hct.commitments import campaigns, services
from hct.commitments.models import Campaign, Supporter
from hct.partnership.services import partner_add, partnership_create
from tests.commitments.helpers import make

pytestmark = pytest.mark.django_db


def test_the_campaign_page_shows_asks_supporters_meetings_and_the_replies(demo):
    html = Client().get(reverse("commitments:campaign", args=[demo.campaign.slug]))
    html = html.content.decode()
    assert "Asked of Managers of the city&#x27;s rivers, bridges and parks" in html
    assert "Clear fly-tipping from the river path and bridges within a week of a report" in html
    assert "Overdue" in html  # the council's reply was due on 31 October 2026 and is at risk
    assert "No commitment has been made in reply yet." in html  # the bins and lighting
    assert "Walk of the river path" in html
    # 120 counted on paper and one here: a count of people, rounded to the nearest 5.
    assert '<dd class="govuk-summary-list__value">120</dd>' in html


def test_support_is_counted_once_and_only_from_community_members(demo):
    campaigns.campaign_support(actor=demo.users["sam"], campaign=demo.campaign)
    with pytest.raises(ValidationError) as caught:
        campaigns.campaign_support(actor=demo.users["sam"], campaign=demo.campaign)
    assert caught.value.messages == [campaigns.ERROR_ALREADY_SUPPORTING]
    with pytest.raises(ValidationError):
        campaigns.campaign_support(actor=demo.users["partner"], campaign=demo.campaign)
    assert Supporter.objects.filter(campaign=demo.campaign).count() == 1


def test_asks_and_meetings_cannot_come_before_the_campaign(demo):
    before = demo.campaign.started_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        campaigns.ask_add(
            actor=demo.users["facilitator"],
            campaign=demo.campaign,
            to_whom="The council",
            what="Something",
            asked_on=before,
        )
    assert caught.value.message_dict["asked_on"] == [campaigns.ERROR_ASK_BEFORE_START]
    with pytest.raises(ValidationError) as caught:
        campaigns.meeting_add(
            actor=demo.users["facilitator"],
            campaign=demo.campaign,
            held_on=before,
            title="Too early",
            with_whom="The council",
        )
    assert caught.value.message_dict["held_on"] == [campaigns.ERROR_MEETING_BEFORE_START]


def test_a_commitment_cannot_reply_to_another_partnership_s_campaign(demo):
    other = partnership_create(actor=None, name="Elsewhere together", description="")
    partner_add(actor=None, partnership=other, name="Another council", sector="council")
    campaign = campaigns.campaign_create(
        actor=None,
        partnership=other,
        neighbourhood=demo.other_neighbourhood,
        title="Elsewhere campaign",
        led_by="A group elsewhere",
        started_on=dt.date(2026, 1, 1),
    )
    ask = campaigns.ask_add(
        actor=None, campaign=campaign, to_whom="Them", what="Please", asked_on=dt.date(2026, 1, 2)
    )
    with pytest.raises(ValidationError) as caught:
        make(demo, in_reply_to=ask)
    assert caught.value.message_dict["in_reply_to"] == [services.ERROR_ASK_OUTSIDE]


def test_a_facilitator_records_a_campaign_and_its_slug_is_unique(demo, client_for):
    client = client_for("facilitator")
    data = {
        "neighbourhood": demo.first_neighbourhood.pk,
        "title": "Lift Me Up",
        "led_by": "Another group",
        "started_on": "2026-09-01",
        "supporters_elsewhere": "0",
    }
    response = client.post(reverse("commitments:campaign-create"), data)
    campaign = Campaign.objects.get(led_by="Another group")
    assert campaign.slug == "lift-me-up-2"
    assert response.url == reverse("commitments:campaign", args=[campaign.slug])
    response = client.post(
        reverse("commitments:campaign-create"), {**data, "supporters_elsewhere": "-3"}
    )
    assert escape("The number cannot be negative") in response.content.decode()


def test_the_commitment_page_links_back_to_the_campaign_it_answers(demo):
    fly_tipping = demo.campaign.asks.order_by("id").first().commitments.get()
    html = Client().get(reverse("commitments:public-commitment", args=[fly_tipping.pk]))
    assert reverse("commitments:campaign", args=[demo.campaign.slug]) in html.content.decode()
