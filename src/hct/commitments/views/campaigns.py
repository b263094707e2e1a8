"""Community campaigns: the public page (asks, supporters, meetings, commitments made in reply),
and the forms a facilitator records them with; community members add their support."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hct.commitments import campaigns, selectors
from hct.commitments.forms import AskForm, CampaignForm, MeetingForm, SupportForm
from hct.commitments.models import OPEN_STATUSES, Campaign
from hct.core.access import deny, public, roles_required
from hct.core.forms import add_service_errors
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
    campaign = get_object_or_404(Campaign.objects.select_related("neighbourhood"), slug=slug)
    supporting = (
        request.user.is_authenticated
        and campaign.supporters.filter(user_id=request.user.pk).exists()
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


def _page(request, *, form, heading, service, success, back, crumbs, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            result = service(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back(result))
    return render(
        request,
        "commitments/campaign_form.html",
        {"form": form, "heading": heading, "intro": intro, "breadcrumbs": crumbs},
    )


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
    return _page(
        request,
        form=form,
        heading="Record a community campaign",
        intro="A campaign led by people of the neighbourhood: its page is public, so write "
        "groups, organisations and roles, never a person's name.",
        service=lambda **data: campaigns.campaign_create(
            actor=request.user, partnership=partnerships[0], **data
        ),
        success="Campaign recorded",
        back=lambda campaign: reverse("commitments:campaign", args=[campaign.slug]),
        crumbs=_crumbs(("Record a community campaign", None)),
    )


def _campaign_for_recording(request, slug) -> Campaign:
    campaign = get_object_or_404(Campaign, slug=slug)
    if (
        request.user.role != Role.ADMIN
        and not partnerships_for(request.user).filter(pk=campaign.partnership_id).exists()
    ):
        raise deny(request, "campaign of another partnership")
    return campaign


@roles_required(RECORDING)
def ask_add(request, slug):
    campaign = _campaign_for_recording(request, slug)
    return _page(
        request,
        form=AskForm(request.POST or None, initial={"asked_on": selectors.today()}),
        heading="Add an ask",
        service=lambda **data: campaigns.ask_add(actor=request.user, campaign=campaign, **data),
        success="Ask added",
        back=lambda ask: reverse("commitments:campaign", args=[slug]),
        crumbs=_crumbs(
            (campaign.title, reverse("commitments:campaign", args=[slug])), ("Add an ask", None)
        ),
    )


@roles_required(RECORDING)
def meeting_add(request, slug):
    campaign = _campaign_for_recording(request, slug)
    return _page(
        request,
        form=MeetingForm(request.POST or None, initial={"held_on": selectors.today()}),
        heading="Add a meeting",
        service=lambda **data: campaigns.meeting_add(actor=request.user, campaign=campaign, **data),
        success="Meeting added",
        back=lambda meeting: reverse("commitments:campaign", args=[slug]),
        crumbs=_crumbs(
            (campaign.title, reverse("commitments:campaign", args=[slug])), ("Add a meeting", None)
        ),
    )


@roles_required({Role.COMMUNITY})
def support(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return _page(
        request,
        form=SupportForm(request.POST or None),
        heading=f"Support {campaign.title}",
        intro="You are counted among its supporters; your name is never shown.",
        service=lambda: campaigns.campaign_support(actor=request.user, campaign=campaign),
        success="Thank you for your support",
        back=lambda supporter: reverse("commitments:campaign", args=[slug]),
        crumbs=_crumbs(
            (campaign.title, reverse("commitments:campaign", args=[slug])), ("Support", None)
        ),
    )
