"""Reads for community campaigns: the public page of a campaign and the list of campaigns."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from hct.commitments.models import Ask, Campaign, CampaignMeeting, Commitment
from hct.core.disclosure import Published, publish_count
from hct.core.roles import Role
from hct.partnership.selectors import partnerships_for


@dataclass
class CampaignPage:
    campaign: Campaign
    asks: list[Ask]
    meetings: list[CampaignMeeting]
    supporters: Published  # a count of people: through disclosure control


def campaigns_public() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("neighbourhood").annotate(
        ask_count=Count("asks", distinct=True)
    )


def campaign_page(campaign: Campaign) -> CampaignPage:
    asks = list(
        campaign.asks.prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("owner").order_by("due_on", "id"),
            )
        ).order_by("asked_on", "id")
    )
    return CampaignPage(
        campaign=campaign,
        asks=asks,
        meetings=list(campaign.meetings.order_by("held_on", "id")),
        supporters=publish_count(campaign.supporters.count() + campaign.supporters_elsewhere),
    )


def campaign_get(slug: str) -> Campaign | None:
    return Campaign.objects.select_related("neighbourhood").filter(slug=slug).first()


def campaign_supported_by(campaign: Campaign, user: Any) -> bool:
    """Whether this (signed-in) user is among the campaign's supporters."""
    return campaign.supporters.filter(user_id=user.pk).exists()


def campaign_recordable_by(campaign: Campaign, user: Any) -> bool:
    """An administrator, or someone in the campaign's partnership, may record its asks and meetings."""
    return (
        user.role == Role.ADMIN
        or partnerships_for(user).filter(pk=campaign.partnership_id).exists()
    )
