"""Community campaigns: the public page (asks, supporters, meetings, commitments made in reply),
and the forms a facilitator records them with; community members start their own (checked by a
facilitator before they are public), add asks to them, and support others'.

A member's pages name a campaign by its slug only; one they did not start is refused, and one
that is not public yet is not found by anyone but its starter and those who check it.
"""

from django.shortcuts import render
from django.urls import reverse

from hct.commitments import campaigns, selectors
from hct.commitments.forms import (
    AskForm,
    CampaignForm,
    MeetingForm,
    MemberCampaignForm,
    ReviewForm,
    SupportForm,
)
from hct.commitments.models import OPEN_STATUSES, Campaign
from hct.commitments.selectors import campaigns as campaign_reads
from hct.core.access import deny, found, public, roles_required
from hct.core.formviews import form_page
from hct.core.roles import Role
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for

RECORDING = frozenset({Role.FACILITATOR, Role.PARTNER, Role.ADMIN})
MODERATORS = frozenset({Role.FACILITATOR, Role.ADMIN})
MY_CAMPAIGNS = "Campaigns"


def _crumbs(*more):
    return [
        ("Home", reverse("core:home")),
        ("Keeping our word", reverse("commitments:public-index")),
        *more,
    ]


def _visible(request, slug) -> Campaign:
    """The campaign, if this visitor may see it: one not public yet is not found by others."""
    campaign = found(selectors.campaign_get(slug))
    return found(campaign if campaign_reads.campaign_visible_to(campaign, request.user) else None)


@public
def campaign_detail(request, slug):
    campaign = _visible(request, slug)
    role = getattr(request.user, "role", None)
    supporting = request.user.is_authenticated and selectors.campaign_supported_by(
        campaign, request.user
    )
    return render(
        request,
        "commitments/public/campaign.html",
        {
            "data": selectors.campaign_page(campaign),
            "supporting": supporting,
            "can_record": request.user.is_authenticated and role in RECORDING,
            "can_ask": request.user.is_authenticated
            and campaign_reads.campaign_askable_by(campaign, request.user),
            "can_review": request.user.is_authenticated
            and campaign.review == "waiting"
            and campaigns.may_review(request.user, campaign),
            "open_statuses": OPEN_STATUSES,
            "today": selectors.today(),
            "breadcrumbs": _crumbs((campaign.title, None)),
        },
    )


CAMPAIGN_FORM = "commitments/campaign_form.html"


def _page(heading: str, crumbs: list, intro: str = "") -> dict:
    return {"heading": heading, "intro": intro, "breadcrumbs": crumbs}


@roles_required(RECORDING)
def campaign_create(request):
    partnerships = list(partnerships_for(request.user))
    if not partnerships:
        raise deny(request, "not a member of a partnership")
    form = CampaignForm(
        request.POST or None,
        neighbourhoods=neighbourhoods_in_scope(request.user),
        initial={"started_on": selectors.today(), "supporters_elsewhere": 0},
    )
    return form_page(
        request,
        form,
        save=lambda data: campaigns.campaign_create(
            actor=request.user, partnership=partnerships[0], **data
        ),
        done="Campaign recorded",
        next_url=lambda campaign: reverse("commitments:campaign", args=[campaign.slug]),
        template=CAMPAIGN_FORM,
        context=_page(
            "Record a community campaign",
            _crumbs(("Record a community campaign", None)),
            intro="A campaign led by people of the neighbourhood: its page is public, so write "
            "groups, organisations and roles, never a person's name.",
        ),
    )


def _campaign_for_recording(request, slug) -> Campaign:
    campaign = found(selectors.campaign_get(slug))
    if not selectors.campaign_recordable_by(campaign, request.user):
        raise deny(request, "campaign of another partnership")
    return campaign


@roles_required(RECORDING | {Role.COMMUNITY})
def ask_add(request, slug):
    campaign = found(selectors.campaign_get(slug))
    if not campaign_reads.campaign_askable_by(campaign, request.user):
        raise deny(request, "campaign not theirs to add to")
    back = reverse("commitments:campaign", args=[slug])
    return form_page(
        request,
        AskForm(request.POST or None, initial={"asked_on": selectors.today()}),
        save=lambda data: campaigns.ask_add(actor=request.user, campaign=campaign, **data),
        done="Ask added",
        next_url=back,
        template=CAMPAIGN_FORM,
        context=_page("Add an ask", _crumbs((campaign.title, back), ("Add an ask", None))),
    )


@roles_required(RECORDING)
def meeting_add(request, slug):
    campaign = _campaign_for_recording(request, slug)
    back = reverse("commitments:campaign", args=[slug])
    return form_page(
        request,
        MeetingForm(request.POST or None, initial={"held_on": selectors.today()}),
        save=lambda data: campaigns.meeting_add(actor=request.user, campaign=campaign, **data),
        done="Meeting added",
        next_url=back,
        template=CAMPAIGN_FORM,
        context=_page("Add a meeting", _crumbs((campaign.title, back), ("Add a meeting", None))),
    )


@roles_required({Role.COMMUNITY})
def support(request, slug):
    campaign = _visible(request, slug)
    back = reverse("commitments:campaign", args=[slug])
    return form_page(
        request,
        SupportForm(request.POST or None),
        save=lambda data: campaigns.campaign_support(actor=request.user, campaign=campaign),
        done="Thank you for your support",
        next_url=back,
        template=CAMPAIGN_FORM,
        context=_page(
            f"Support {campaign.title}",
            _crumbs((campaign.title, back), ("Support", None)),
            intro="You are counted among its supporters; your name is never shown.",
        ),
    )


def _my_trail(*more):
    return [
        ("Home", reverse("core:home")),
        (MY_CAMPAIGNS, reverse("commitments:my-campaigns")),
        *more,
    ]


@roles_required({Role.COMMUNITY})
def my_campaigns(request):
    return render(
        request,
        "commitments/my_campaigns.html",
        {
            "started": list(campaign_reads.campaigns_started_by(request.user)),
            "supported": list(campaign_reads.campaigns_supported_by(request.user)),
            "nearby": list(
                campaign_reads.campaigns_public()
                .filter(neighbourhood__in=campaigns.member_neighbourhoods(request.user))
                .order_by("title", "id")[:50]
            ),
            "can_start": campaigns.member_neighbourhoods(request.user).exists(),
            "breadcrumbs": [("Home", reverse("core:home")), (MY_CAMPAIGNS, None)],
        },
    )


@roles_required({Role.COMMUNITY})
def my_campaign_start(request):
    neighbourhoods = campaigns.member_neighbourhoods(request.user)
    if not neighbourhoods.exists():
        raise deny(request, "no neighbourhood a partnership works in")
    only_one = list(neighbourhoods[:2])
    form = MemberCampaignForm(
        request.POST or None,
        neighbourhoods=neighbourhoods,
        initial={"neighbourhood": only_one[0].pk} if len(only_one) == 1 else None,
    )
    return form_page(
        request,
        form,
        save=lambda data: campaigns.campaign_create(
            actor=request.user,
            neighbourhood=data["neighbourhood"],
            title=data["title"],
            about=data["about"],
            led_by=data["led_by"],
            asks=[campaigns.AskDraft(data["ask_0_to_whom"], data["ask_0_what"])],
        ),
        done="Thank you. A facilitator will check your campaign, then it will be public.",
        next_url=lambda campaign: reverse("commitments:campaign", args=[campaign.slug]),
        context={
            "title": "Start a campaign",
            "button": "Send it to be checked",
            "intro": "Tell us what you want to change and who can change it. A facilitator "
            "checks each campaign before everyone can see it. Do not write anyone's name.",
            "breadcrumbs": _my_trail(("Start a campaign", None)),
        },
    )


@roles_required(MODERATORS)
def review(request, slug):
    campaign = found(selectors.campaign_get(slug))
    if not campaigns.may_review(request.user, campaign):
        raise deny(request, "campaign out of scope")
    back = reverse("commitments:moderation")
    return form_page(
        request,
        ReviewForm(request.POST or None),
        save=lambda data: campaigns.campaign_review(
            actor=request.user,
            campaign=campaign,
            approve=data["decision"] == "approve",
            reason=data["reason"],
        ),
        done=lambda c: "The campaign is public" if c.public else "The campaign is not shown",
        next_url=back,
        template="commitments/campaign_review.html",
        context={
            "campaign": campaign,
            "asks": list(campaign.asks.order_by("asked_on", "id")),
            "heading": f"Check {campaign.title}",
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Moderation", back),
                (campaign.title, None),
            ],
        },
    )
