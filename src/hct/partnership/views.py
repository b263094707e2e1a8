from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from hct.core.access import deny, found, roles_required
from hct.core.forms import add_service_errors
from hct.core.formviews import form_page, form_posted
from hct.core.roles import PARTNERSHIP_ROLES, STAFF_ROLES, Role
from hct.partnership import selectors, services
from hct.partnership.forms import (
    AdvanceForm,
    CharterForm,
    ChoosePartnershipForm,
    CompareForm,
    ConfirmForm,
    CycleStartForm,
    InvitationForm,
    MembershipEndForm,
    MembershipForm,
    OrganisationForm,
    PartnershipForm,
)
from hct.partnership.models import STAGE_ORDER, CharterRevision, Cycle, Partnership


def _partnership_for(request, slug: str) -> Partnership:
    """The partnership, if the user may see it: members, and admins."""
    try:
        partnership = Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None
    if request.user.role != Role.ADMIN and not selectors.is_member(request.user, partnership):
        raise deny(request, "not a member of this partnership")
    return partnership


def _crumbs(partnership: Partnership, *more):
    return [
        ("Home", reverse("core:home")),
        ("Partnership", reverse("partnership:list")),
        (partnership.name, reverse("partnership:detail", args=[partnership.slug])),
        *more,
    ]


@roles_required(STAFF_ROLES)
def partnership_list(request):
    partnerships = list(selectors.partnerships_for(request.user))
    if len(partnerships) == 1:
        return redirect("partnership:detail", slug=partnerships[0].slug)
    return render(
        request,
        "partnership/list.html",
        {
            "partnerships": partnerships,
            "can_set_up": selectors.may_set_up_partnerships(request.user),
            "breadcrumbs": [("Home", reverse("core:home")), ("Partnership", None)],
        },
    )


@roles_required(STAFF_ROLES)
def partnership_detail(request, slug):
    partnership = _partnership_for(request, slug)
    return render(
        request,
        "partnership/detail.html",
        {
            "partnership": partnership,
            **selectors.partnership_detail(partnership),
            "stages": STAGE_ORDER,
            "can_manage": selectors.may_manage(request.user, partnership),
            "can_set_up": selectors.may_set_up_partnerships(request.user),
            "can_invite": selectors.may_invite(request.user, partnership, Role.COMMUNITY),
            "breadcrumbs": [*_crumbs(partnership)[:-1], (partnership.name, None)],
        },
    )


@roles_required(STAFF_ROLES)
def charter(request, slug):
    partnership = _partnership_for(request, slug)
    revisions = list(selectors.charter_revisions(partnership))
    compare_form = CompareForm(numbers=[r.number for r in revisions])
    return render(
        request,
        "partnership/charter.html",
        {
            "partnership": partnership,
            "revision": revisions[0] if revisions else None,
            "revisions": revisions,
            "compare_form": compare_form,
            "can_revise": request.user.role in PARTNERSHIP_ROLES,
            "breadcrumbs": _crumbs(partnership, ("Poolside charter", None)),
        },
    )


@roles_required(STAFF_ROLES)
def charter_revision(request, slug, number):
    partnership = _partnership_for(request, slug)
    try:
        revision = selectors.charter_revisions(partnership).get(number=number)
    except CharterRevision.DoesNotExist:
        raise Http404("No such revision") from None
    return render(
        request,
        "partnership/charter_revision.html",
        {
            "partnership": partnership,
            "revision": revision,
            "breadcrumbs": _crumbs(
                partnership,
                ("Poolside charter", reverse("partnership:charter", args=[slug])),
                (f"Revision {number}", None),
            ),
        },
    )


@roles_required(STAFF_ROLES)
def charter_compare(request, slug):
    partnership = _partnership_for(request, slug)
    revisions = {r.number: r for r in selectors.charter_revisions(partnership)}
    form = CompareForm(request.GET or None, numbers=sorted(revisions))
    sections = None
    earlier = later = None
    if form.is_valid():
        earlier, later = sorted((form.cleaned_data["earlier"], form.cleaned_data["later"]))
        sections = selectors.charter_compare(revisions[earlier], revisions[later])
    return render(
        request,
        "partnership/charter_compare.html",
        {
            "partnership": partnership,
            "form": form,
            "sections": sections,
            "earlier": revisions[earlier] if earlier is not None else None,
            "later": revisions[later] if later is not None else None,
            "breadcrumbs": _crumbs(
                partnership,
                ("Poolside charter", reverse("partnership:charter", args=[slug])),
                ("Compare revisions", None),
            ),
        },
    )


@roles_required(PARTNERSHIP_ROLES)
def charter_revise(request, slug):
    partnership = _partnership_for(request, slug)
    latest = selectors.charter_latest(partnership)
    initial = (
        {name: getattr(latest, name) for name, _ in CharterRevision.SECTIONS} if latest else {}
    )
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.charter_revise(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Revision {revision.number} of the charter has been saved.")
            return redirect("partnership:charter", slug=slug)
    return render(
        request,
        "partnership/charter_form.html",
        {
            "partnership": partnership,
            "form": form,
            "latest": latest,
            "breadcrumbs": _crumbs(
                partnership,
                ("Poolside charter", reverse("partnership:charter", args=[slug])),
                ("Revise", None),
            ),
        },
    )


@roles_required(STAFF_ROLES)
def cycle_detail(request, slug, number):
    partnership = _partnership_for(request, slug)
    try:
        cycle = selectors.cycle_get(partnership, number)
    except Cycle.DoesNotExist:
        raise Http404("No such cycle") from None
    can_advance = request.user.role == Role.FACILITATOR
    form = AdvanceForm(request.POST or None)
    if request.method == "POST":
        if not can_advance:
            raise deny(request)
        if form.is_valid():
            try:
                services.cycle_advance(
                    actor=request.user,
                    cycle=cycle,
                    stage=form.cleaned_data["stage"],
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The cycle has moved on.")
                return redirect("partnership:cycle", slug=slug, number=number)
    return render(
        request,
        "partnership/cycle.html",
        {
            "partnership": partnership,
            "cycle": cycle,
            "form": form,
            "can_advance": can_advance,
            "breadcrumbs": _crumbs(partnership, (str(cycle), None)),
        },
    )


@roles_required(Role.FACILITATOR)
def cycle_start_choose(request):
    """Start a cycle from a neighbourhood (Where next, a profile): in the facilitator's own
    partnership, or, for a member of several, the one they choose."""
    partnerships = list(selectors.partnerships_for(request.user))
    if len(partnerships) == 1:
        url = reverse("partnership:cycle-start", args=[partnerships[0].slug])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return render(
        request,
        "partnership/cycle_start_choose.html",
        {
            "partnerships": partnerships,
            "query": request.GET.urlencode(),
            "breadcrumbs": [("Home", reverse("core:home")), ("Start a cycle", None)],
        },
    )


@roles_required(Role.FACILITATOR)
def cycle_start(request, slug):
    partnership = _partnership_for(request, slug)
    form = CycleStartForm(
        request.POST or None,
        starter=request.user,
        initial={"neighbourhood": request.GET.get("neighbourhood")},
        **selectors.cycle_start_choices(partnership),
    )
    return form_page(
        request,
        form,
        save=lambda _: services.cycle_start(
            actor=request.user, partnership=partnership, **form.service_arguments()
        ),
        done=lambda cycle: f"{cycle} has started. Read what earlier cycles learned first.",
        next_url=lambda cycle: reverse("learning:cycle", args=[cycle.pk]),
        template="partnership/cycle_start.html",
        context={
            "partnership": partnership,
            "breadcrumbs": _crumbs(partnership, ("Start a cycle", None)),
        },
    )


# Running the partnership (issue 14, item 4): organisations, members, invitations.


def _posted(request):
    """The POST data, even when empty: a confirmation form may have nothing to fill in."""
    return request.POST if request.method == "POST" else None


def _managed(request, slug: str) -> Partnership:
    """The partnership, if this user runs it: an administrator, or one of its leads."""
    partnership = _partnership_for(request, slug)
    if not selectors.may_manage(request.user, partnership):
        raise deny(request, "does not lead this partnership")
    return partnership


@roles_required(STAFF_ROLES)
def partnership_create(request):
    if not selectors.may_set_up_partnerships(request.user):
        raise deny(request, "neither an administrator nor a partnership's lead")
    return form_page(
        request,
        PartnershipForm(request.POST or None),
        save=lambda data: services.partnership_create(
            actor=request.user,
            lead=None if request.user.role == Role.ADMIN else request.user,
            **data,
        ),
        done=lambda p: f"{p.name} has been set up. Add its organisations, then invite its lead.",
        next_url=lambda p: reverse("partnership:organisations", args=[p.slug]),
        context={
            "title": "Set up a partnership",
            "button": "Set up the partnership",
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Partnership", reverse("partnership:list")),
                ("Set up a partnership", None),
            ],
        },
    )


@roles_required(STAFF_ROLES)
def organisations(request, slug):
    """The partner organisations; those who run the partnership add more here."""
    partnership = _partnership_for(request, slug)
    can_add = selectors.may_manage(request.user, partnership)
    if request.method == "POST" and not can_add:
        raise deny(request, "does not lead this partnership")
    form = OrganisationForm(request.POST or None) if can_add else None
    answered = form_posted(
        request,
        form,
        save=lambda data: services.partner_add(actor=request.user, partnership=partnership, **data),
        done=lambda partner: f"{partner.name} has joined the partnership.",
        next_url=reverse("partnership:organisations", args=[slug]),
    )
    if answered:
        return answered
    return render(
        request,
        "partnership/organisations.html",
        {
            "partnership": partnership,
            "partners": list(partnership.partners.all()),
            "form": form,
            "breadcrumbs": _crumbs(partnership, ("Organisations", None)),
        },
    )


@roles_required(STAFF_ROLES)
def members(request, slug):
    partnership = _managed(request, slug)
    return render(
        request,
        "partnership/members.html",
        {
            "partnership": partnership,
            **selectors.members_page(partnership),
            "breadcrumbs": _crumbs(partnership, ("Members", None)),
        },
    )


def _membership_for(request, partnership: Partnership, pk: int):
    return found(selectors.membership_get(partnership, pk), "No such member")


@roles_required(STAFF_ROLES)
def membership_edit(request, slug, pk):
    partnership = _managed(request, slug)
    membership = _membership_for(request, partnership, pk)
    form = MembershipForm(
        request.POST or None,
        partnership=partnership,
        initial={
            "partner": membership.partner,
            "title": membership.title,
            "neighbourhoods": list(membership.neighbourhoods.all()),
            "is_lead": membership.is_lead,
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.membership_update(
            actor=request.user,
            membership=membership,
            partner=data["partner"],
            title=data["title"],
            neighbourhoods=list(data["neighbourhoods"]),
            is_lead=data["is_lead"],
        ),
        done=f"{membership.user}'s membership has been changed.",
        next_url=reverse("partnership:members", args=[slug]),
        context={
            "title": f"{membership.user} ({membership.user.get_role_display()})",
            "caption": partnership.name,
            "button": "Save changes",
            "breadcrumbs": _crumbs(
                partnership,
                ("Members", reverse("partnership:members", args=[slug])),
                (str(membership.user), None),
            ),
        },
    )


@roles_required(STAFF_ROLES)
def membership_end(request, slug, pk):
    partnership = _managed(request, slug)
    membership = _membership_for(request, partnership, pk)
    return form_page(
        request,
        MembershipEndForm(_posted(request)),
        save=lambda data: services.membership_end(
            actor=request.user, membership=membership, reason=data["reason"]
        ),
        done=f"{membership.user}'s membership has ended. What they recorded stays.",
        next_url=reverse("partnership:members", args=[slug]),
        context={
            "title": f"End {membership.user}'s membership",
            "caption": partnership.name,
            "intro": (
                "They lose access to this partnership at once: their next page is refused. "
                "If it is their only partnership, their account is switched off. What they "
                f"recorded stays, shown as from {membership.partner or 'the partnership'}."
            ),
            "button": "End the membership",
            "breadcrumbs": _crumbs(
                partnership,
                ("Members", reverse("partnership:members", args=[slug])),
                ("End membership", None),
            ),
        },
    )


def _inviter(request, slug: str) -> tuple[Partnership, list[Role]]:
    """The partnership and the roles this user may invite to it (none: refused)."""
    partnership = _partnership_for(request, slug)
    roles = [
        role
        for role in services.INVITED_ROLES
        if selectors.may_invite(request.user, partnership, role)
    ]
    if not roles:
        raise deny(request, "may not invite to this partnership")
    return partnership, roles


_SHOWN_ONCE = "hct_invitation_secrets"


def remember_to_show(request, issued: services.IssuedInvitation) -> None:
    """The secrets exist only now: keep them in the inviter's session until the invitation's
    page has shown them once."""
    shown = request.session.get(_SHOWN_ONCE, {})
    shown[str(issued.invitation.pk)] = [issued.token, issued.code_display]
    request.session[_SHOWN_ONCE] = shown


@roles_required(STAFF_ROLES)
def invitations(request, slug):
    partnership, roles = _inviter(request, slug)
    # A facilitator who may invite only community members sees only those invitations.
    only = Role.COMMUNITY if roles == [Role.COMMUNITY] else None
    return render(
        request,
        "partnership/invitations.html",
        {
            "partnership": partnership,
            "invitations": selectors.invitations_page(partnership, role=only),
            "breadcrumbs": _crumbs(partnership, ("Invitations", None)),
        },
    )


@roles_required(STAFF_ROLES)
def invitation_new(request, slug):
    partnership, roles = _inviter(request, slug)

    def save(data):
        issued = services.invitation_create(
            actor=request.user,
            partnership=partnership,
            role=data["role"],
            invitee=data["invitee"],
            email=data["email"],
            partner=data.get("partner"),
            title=data.get("title", ""),
            is_lead=data.get("is_lead", False),
            neighbourhoods=list(data.get("neighbourhoods") or []),
            days=data["days"],
        )
        remember_to_show(request, issued)
        return issued

    return form_page(
        request,
        InvitationForm(request.POST or None, partnership=partnership, roles=roles),
        save=save,
        done=lambda issued: f"The invitation for {issued.invitation.invitee} is ready.",
        next_url=lambda issued: reverse(
            "partnership:invitation", args=[slug, issued.invitation.pk]
        ),
        context={
            "title": "Invite someone",
            "caption": partnership.name,
            "intro": (
                "They get a link to open and a short code they can type in instead. Either "
                "works once, and runs out after the days you choose."
            ),
            "button": "Make the invitation",
            "breadcrumbs": _crumbs(
                partnership,
                ("Invitations", reverse("partnership:invitations", args=[slug])),
                ("Invite someone", None),
            ),
        },
    )


def _invitation_for(request, slug: str, pk: int):
    partnership, roles = _inviter(request, slug)
    invitation = found(selectors.invitation_get(partnership, pk), "No such invitation")
    if invitation.role not in roles:
        raise deny(request, "may not see this invitation")
    return partnership, invitation


@roles_required(STAFF_ROLES)
def invitation_detail(request, slug, pk):
    """An invitation and where it stands; just after it is made, its link and code, shown once."""
    partnership, invitation = _invitation_for(request, slug, pk)
    secrets = request.session.get(_SHOWN_ONCE, {})
    token, code = secrets.pop(str(pk), [None, None])
    if token:
        request.session[_SHOWN_ONCE] = secrets
    return render(
        request,
        "partnership/invitation.html",
        {
            "partnership": partnership,
            "invitation": invitation,
            "status": invitation.status_at(timezone.now()),
            "link": request.build_absolute_uri(reverse("people:join-link", args=[token]))
            if token
            else None,
            "code": code,
            "breadcrumbs": _crumbs(
                partnership,
                ("Invitations", reverse("partnership:invitations", args=[slug])),
                (invitation.invitee, None),
            ),
        },
    )


@roles_required(STAFF_ROLES)
def invitation_cancel(request, slug, pk):
    partnership, invitation = _invitation_for(request, slug, pk)
    return form_page(
        request,
        ConfirmForm(_posted(request)),
        save=lambda _: services.invitation_cancel(actor=request.user, invitation=invitation),
        done=f"The invitation for {invitation.invitee} has been cancelled.",
        next_url=reverse("partnership:invitations", args=[slug]),
        context={
            "title": f"Cancel the invitation for {invitation.invitee}",
            "caption": partnership.name,
            "intro": "Its link and code will stop working at once.",
            "button": "Cancel the invitation",
            "breadcrumbs": _crumbs(
                partnership,
                ("Invitations", reverse("partnership:invitations", args=[slug])),
                ("Cancel", None),
            ),
        },
    )


def _back_to(request, wanted: str) -> str:
    """Where to go after choosing: the page the choice was made on, if it is one of ours."""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("core:home")


def _choose(request, data: dict) -> dict:
    services.current_partnership_choose(
        acting_user=request.user, session=request.session, partnership=data["partnership"]
    )
    return data


def partnership_choose(request):
    """'Working in': a member of more than one partnership chooses which one their pages show
    (and which one what they record belongs to) for the rest of the session."""
    form = ChoosePartnershipForm(
        request.POST or None,
        partnerships=selectors.partnerships_for(request.user),
        initial={"partnership": selectors.current_partnership(request)},
    )
    return form_page(
        request,
        form,
        save=lambda data: _choose(request, data),
        done=lambda data: f"You are now working in {data['partnership']}.",
        next_url=lambda data: _back_to(request, data["next"]),
        context={
            "title": "Choose the partnership you are working in",
            "intro": "The pages you see, and what you record, will be for this partnership.",
            "button": "Choose",
            "breadcrumbs": [("Home", reverse("core:home")), ("Working in", None)],
        },
    )
