from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from hct.core.access import deny, roles_required
from hct.core.forms import add_service_errors
from hct.core.formviews import form_page
from hct.core.roles import PARTNERSHIP_ROLES, STAFF_ROLES, Role
from hct.partnership import selectors, services
from hct.partnership.forms import AdvanceForm, CharterForm, CompareForm, CycleStartForm
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
            "earlier": revisions.get(earlier),
            "later": revisions.get(later),
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
        initial={"neighbourhood": request.GET.get("neighbourhood"), "started_on": date.today()},
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
