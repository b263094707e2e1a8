"""Community campaigns (services): a campaign, its asks of named authorities, the meetings it
held, and its supporters. Commitments made in reply point at the ask they answer and are tracked
like every other commitment.

A facilitator records a campaign with the people leading it, and it is public at once; a
community member starts one through the same `campaign_create`, and it waits for a facilitator
of its neighbourhood (`campaign_review`) before anyone else sees it. Whoever writes it, nothing
published may name a person on record there (`hct.people.names`).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from hct.commitments.models import (
    ERROR_DECLINE_NEEDS_REASON,
    Ask,
    Campaign,
    CampaignMeeting,
    Review,
    Supporter,
)
from hct.commitments.services import ERROR_NOT_A_MEMBER, may_record
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.models import Partnership
from hct.partnership.selectors import neighbourhoods_in_scope
from hct.people.names import ERROR_NAMES_A_PERSON, fields_naming_a_person
from hct.people.selectors import person_for_user
from hct.places.models import Neighbourhood

ERROR_SUPPORT_COMMUNITY_ONLY = "Community members support campaigns here"
ERROR_ALREADY_SUPPORTING = "You already support this campaign"
ERROR_MEETING_BEFORE_START = "A meeting cannot be before the campaign started"
ERROR_ASK_BEFORE_START = "An ask cannot be made before the campaign started"
ERROR_NOT_YOUR_NEIGHBOURHOOD = "Choose the neighbourhood you live in"
ERROR_NO_PARTNERSHIP_THERE = "No partnership works in this neighbourhood yet"
ERROR_NOT_YOUR_CAMPAIGN = "Only the person who started this campaign can add to it"
ERROR_NOT_PUBLIC_YET = "This campaign is not public yet, so it cannot be supported"
ERROR_NOT_A_REVIEWER = "Only a facilitator of the campaign's neighbourhood can check it"
ERROR_ALREADY_REVIEWED = "This campaign has already been checked"


class AskDraft(NamedTuple):
    to_whom: str
    what: str


def _here(neighbourhood: Neighbourhood) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.filter(pk=neighbourhood.pk)


def _no_names(fields: dict[str, str], neighbourhood: Neighbourhood) -> None:
    """Refuse, on each field that does, words that name someone on record in the place."""
    named = fields_naming_a_person(fields, _here(neighbourhood))
    if named:
        raise ValidationError({name: ERROR_NAMES_A_PERSON for name in named})


def member_neighbourhoods(user: Any) -> QuerySet[Neighbourhood]:
    """Where a community member may start a campaign: the neighbourhoods their home is in
    that a partnership works in."""
    person = person_for_user(user)
    if person is None:
        return Neighbourhood.objects.none()
    return Neighbourhood.objects.filter(lsoas=person.home_lsoa_id, cycles__isnull=False).distinct()


def _partnership_in(neighbourhood: Neighbourhood) -> Partnership:
    cycle = neighbourhood.cycles.select_related("partnership").order_by("-number", "-pk").first()
    if cycle is None:
        raise ValidationError({"neighbourhood": ERROR_NO_PARTNERSHIP_THERE})
    return cycle.partnership


def _is_starter(actor: Any, campaign: Campaign) -> bool:
    return (
        getattr(actor, "role", None) == Role.COMMUNITY
        and campaign.created_by_id is not None
        and campaign.created_by_id == actor.pk
    )


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
    partnership: Partnership | None = None,
    neighbourhood: Neighbourhood,
    title: str,
    led_by: str,
    started_on: dt.date | None = None,
    about: str = "",
    supporters_elsewhere: int = 0,
    asks: Sequence[AskDraft] = (),
) -> Campaign:
    """Record a community campaign, with its first asks.

    A facilitator writes it down with the people leading it, for their partnership, and it is
    public at once. A community member starts it in the neighbourhood they live in, for the
    partnership working there, and it waits for a facilitator's check. Nothing in it may name
    a person on record in the neighbourhood.
    """
    member = getattr(actor, "role", None) == Role.COMMUNITY
    if member:
        if not member_neighbourhoods(actor).filter(pk=neighbourhood.pk).exists():
            raise ValidationError({"neighbourhood": ERROR_NOT_YOUR_NEIGHBOURHOOD})
        partnership = _partnership_in(neighbourhood)
    elif partnership is None:
        raise ValidationError(ERROR_NOT_A_MEMBER)
    else:
        _check_recorder(actor, partnership)
    started_on = started_on or timezone.localdate()
    texts = {"title": title, "led_by": led_by, "about": about}
    for n, ask in enumerate(asks):
        texts[f"ask_{n}_to_whom"], texts[f"ask_{n}_what"] = ask.to_whom, ask.what
    _no_names(texts, neighbourhood)
    campaign = Campaign(
        partnership=partnership,
        neighbourhood=neighbourhood,
        slug=_slug_for(title),
        title=title.strip(),
        led_by=led_by.strip(),
        started_on=started_on,
        about=about,
        supporters_elsewhere=supporters_elsewhere,
        review=Review.WAITING if member else Review.APPROVED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=actor,
        verb="campaign.create",
        subject=campaign,
        details={"review": campaign.review, "asks": len(asks)},
    )
    for n, ask in enumerate(asks):
        _ask_save(actor, campaign, ask.to_whom, ask.what, started_on, prefix=f"ask_{n}_")
    return campaign


def _ask_save(
    actor: Any, campaign: Campaign, to_whom: str, what: str, asked_on: dt.date, prefix: str = ""
) -> Ask:
    ask = Ask(campaign=campaign, to_whom=to_whom.strip(), what=what.strip(), asked_on=asked_on)
    try:
        ask.full_clean(exclude=["campaign"])
    except ValidationError as error:
        raise ValidationError(
            {f"{prefix}{field}": messages for field, messages in error.message_dict.items()}
        ) from None
    ask.save()
    audit_record(actor=actor, verb="campaign.ask", subject=ask)
    return ask


def may_add_to(actor: Any, campaign: Campaign) -> bool:
    """The partnership's members record a campaign's asks and meetings; the community member
    who started it adds its asks themselves."""
    return _is_starter(actor, campaign) or (
        actor is not None and may_record(actor, campaign.partnership)
    )


@transaction.atomic
def ask_add(*, actor: Any, campaign: Campaign, to_whom: str, what: str, asked_on: dt.date) -> Ask:
    if actor is not None and not may_add_to(actor, campaign):
        raise ValidationError(ERROR_NOT_YOUR_CAMPAIGN)
    if asked_on < campaign.started_on:
        raise ValidationError({"asked_on": ERROR_ASK_BEFORE_START})
    _no_names({"to_whom": to_whom, "what": what}, campaign.neighbourhood)
    return _ask_save(actor, campaign, to_whom, what, asked_on)


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
    _no_names({"title": title, "with_whom": with_whom, "outcome": outcome}, campaign.neighbourhood)
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
    if not campaign.public:
        raise ValidationError(ERROR_NOT_PUBLIC_YET)
    if Supporter.objects.filter(campaign=campaign, user=actor).exists():
        raise ValidationError(ERROR_ALREADY_SUPPORTING)
    supporter = Supporter.objects.create(campaign=campaign, user=actor)
    audit_record(actor=actor, verb="campaign.support", subject=campaign)
    return supporter


def may_review(actor: Any, campaign: Campaign) -> bool:
    """Administrators, and facilitators of the partnership who work in its neighbourhood."""
    role = getattr(actor, "role", None)
    if role == Role.ADMIN:
        return True
    return (
        role == Role.FACILITATOR
        and may_record(actor, campaign.partnership)
        and neighbourhoods_in_scope(actor).filter(pk=campaign.neighbourhood_id).exists()
    )


@transaction.atomic
def campaign_review(*, actor: Any, campaign: Campaign, approve: bool, reason: str = "") -> Campaign:
    """A facilitator makes a member's campaign public, or keeps it from the public saying why
    (the person who started it sees the reason). Each campaign is checked once."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not may_review(actor, campaign):
        raise ValidationError(ERROR_NOT_A_REVIEWER)
    if campaign.review != Review.WAITING:
        raise ValidationError(ERROR_ALREADY_REVIEWED)
    if not approve and not reason.strip():
        raise ValidationError({"reason": ERROR_DECLINE_NEEDS_REASON})
    campaign.review = Review.APPROVED if approve else Review.DECLINED
    campaign.review_reason = "" if approve else reason.strip()
    campaign.reviewed_by = actor
    campaign.reviewed_at = timezone.now()
    campaign.full_clean()
    campaign.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor, verb="campaign.review", subject=campaign, details={"review": campaign.review}
    )
    return campaign
