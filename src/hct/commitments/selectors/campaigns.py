"""Reads for community campaigns: the public page of a campaign and the list of campaigns."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from hct.commitments.models import Ask, Campaign, CampaignMeeting, Commitment
from hct.core.disclosure import Published, publish_count


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
