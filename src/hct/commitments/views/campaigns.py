"""Community campaigns: the public page (asks, supporters, meetings, commitments made in reply),
and the forms a facilitator records them with; community members add their support."""

from django.shortcuts import render
from django.urls import reverse

from hct.commitments import campaigns, selectors
from hct.commitments.forms import AskForm, CampaignForm, MeetingForm, SupportForm
from hct.commitments.models import OPEN_STATUSES, Campaign
from hct.core.access import deny, found, public, roles_required
from hct.core.formviews import form_page
from hct.core.roles import Role
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for

RECORDING = frozenset({Role.FACILITATOR, Role.PARTNER, Role.ADMIN})


def _crumbs(*more):
    return [
        ("Home", reverse("core:home")),
        ("Keeping our word", reverse("commitments:public-index")),
        *more,
    ]


@public
def campaign_detail(request, slug):
    campaign = found(selectors.campaign_get(slug))
    supporting = request.user.is_authenticated and selectors.campaign_supported_by(
        campaign, request.user
    )
    return render(
        request,
        "commitments/public/campaign.html",
        {
            "data": selectors.campaign_page(campaign),
            "supporting": supporting,
            "can_record": request.user.is_authenticated
            and getattr(request.user, "role", None) in RECORDING,
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


@roles_required(RECORDING)
def ask_add(request, slug):
    campaign = _campaign_for_recording(request, slug)
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
    campaign = found(selectors.campaign_get(slug))
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
