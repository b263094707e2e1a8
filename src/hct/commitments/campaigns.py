"""Community campaigns (services): a campaign, its asks of named authorities, the meetings it
held, and its supporters. Commitments made in reply point at the ask they answer and are tracked
like every other commitment."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from hct.commitments.models import Ask, Campaign, CampaignMeeting, Supporter
from hct.commitments.services import ERROR_NOT_A_MEMBER, may_record
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.models import Partnership
from hct.places.models import Neighbourhood

ERROR_SUPPORT_COMMUNITY_ONLY = "Community members support campaigns here"
ERROR_ALREADY_SUPPORTING = "You already support this campaign"
ERROR_MEETING_BEFORE_START = "A meeting cannot be before the campaign started"
ERROR_ASK_BEFORE_START = "An ask cannot be made before the campaign started"


def _slug_for(title: str) -> str:
    base = slugify(title)[:100] or "campaign"
    slug, n = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_recorder(actor: Any, partnership: Partnership) -> None:
    if actor is not None and not may_record(actor, partnership):
        raise ValidationError(ERROR_NOT_A_MEMBER)


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    partnership: Partnership,
    neighbourhood: Neighbourhood,
    title: str,
    led_by: str,
    started_on: dt.date,
    about: str = "",
    supporters_elsewhere: int = 0,
) -> Campaign:
    """Record a community campaign (a facilitator writes it down with the people leading it)."""
    _check_recorder(actor, partnership)
    campaign = Campaign(
        partnership=partnership,
        neighbourhood=neighbourhood,
        slug=_slug_for(title),
        title=title.strip(),
        led_by=led_by.strip(),
        started_on=started_on,
        about=about,
        supporters_elsewhere=supporters_elsewhere,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    campaign.full_clean()
    campaign.save()
    audit_record(actor=actor, verb="campaign.create", subject=campaign)
    return campaign


@transaction.atomic
def ask_add(*, actor: Any, campaign: Campaign, to_whom: str, what: str, asked_on: dt.date) -> Ask:
    _check_recorder(actor, campaign.partnership)
    if asked_on < campaign.started_on:
        raise ValidationError({"asked_on": ERROR_ASK_BEFORE_START})
    ask = Ask(campaign=campaign, to_whom=to_whom.strip(), what=what.strip(), asked_on=asked_on)
    ask.full_clean()
    ask.save()
    audit_record(actor=actor, verb="campaign.ask", subject=ask)
    return ask


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    campaign: Campaign,
    held_on: dt.date,
    title: str,
    with_whom: str,
    outcome: str = "",
) -> CampaignMeeting:
    _check_recorder(actor, campaign.partnership)
    if held_on < campaign.started_on:
        raise ValidationError({"held_on": ERROR_MEETING_BEFORE_START})
    meeting = CampaignMeeting(
        campaign=campaign,
        held_on=held_on,
        title=title.strip(),
        with_whom=with_whom.strip(),
        outcome=outcome,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, verb="campaign.meeting", subject=meeting)
    return meeting


@transaction.atomic
def campaign_support(*, actor: Any, campaign: Campaign) -> Supporter:
    """A community member adds their support, once; it is counted, never named."""
    if getattr(actor, "role", None) != Role.COMMUNITY:
        raise ValidationError(ERROR_SUPPORT_COMMUNITY_ONLY)
    if Supporter.objects.filter(campaign=campaign, user=actor).exists():
        raise ValidationError(ERROR_ALREADY_SUPPORTING)
    supporter = Supporter.objects.create(campaign=campaign, user=actor)
    audit_record(actor=actor, verb="campaign.support", subject=campaign)
    return supporter
