"""Reads for community campaigns: the public page of a campaign and the list of campaigns,
a member's own campaigns, and the campaigns waiting for a facilitator's check."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from hct.commitments.campaigns import may_add_to, may_review
from hct.commitments.models import Ask, Campaign, CampaignMeeting, Commitment, Review
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
    """Campaigns anyone may see: a member's only once a facilitator has checked it."""
    return (
        Campaign.objects.filter(review=Review.APPROVED)
        .select_related("neighbourhood")
        .annotate(ask_count=Count("asks", distinct=True))
    )


def campaign_visible_to(campaign: Campaign, user: Any) -> bool:
    """A public campaign to anyone; one not public yet (or declined) only to the member who
    started it and to those who check it."""
    if campaign.public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return campaign.created_by_id == user.pk or may_review(user, campaign)


def campaigns_started_by(user: Any) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(created_by_id=user.pk)
        .select_related("neighbourhood")
        .annotate(ask_count=Count("asks", distinct=True))
        .order_by("-created_at", "-id")
    )


def campaigns_supported_by(user: Any) -> QuerySet[Campaign]:
    return (
        campaigns_public()
        .filter(supporters__user_id=user.pk)
        .exclude(created_by_id=user.pk)
        .order_by("title", "id")
    )


def campaigns_to_review(user: Any) -> list[Campaign]:
    """Members' campaigns waiting for this facilitator (or administrator) to check them."""
    waiting = (
        Campaign.objects.filter(review=Review.WAITING)
        .select_related("neighbourhood", "partnership")
        .prefetch_related("asks")
        .order_by("created_at", "id")
    )
    return [campaign for campaign in waiting[:200] if may_review(user, campaign)]


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


def campaign_askable_by(campaign: Campaign, user: Any) -> bool:
    """Who may add an ask: the partnership's recorders, and the member who started it."""
    return may_add_to(user, campaign)


def asks_open_to_answer(partnerships) -> QuerySet[Ask]:
    """The asks of public campaigns that a commitment may answer."""
    return Ask.objects.filter(
        campaign__partnership__in=partnerships, campaign__review=Review.APPROVED
    )
