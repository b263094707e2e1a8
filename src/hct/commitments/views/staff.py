"""The partnership's own commitment pages: record a promise, report on it, add milestones."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from hct.commitments import selectors, services
from hct.commitments.forms import CommitmentForm, MilestoneForm, ReportForm
from hct.commitments.models import Commitment
from hct.commitments.scrutiny import may_moderate
from hct.commitments.selectors import origin, staff
from hct.core.access import deny, roles_required
from hct.core.formviews import form_page
from hct.core.roles import STAFF_ROLES, Role
from hct.partnership.selectors import partnerships_for

RECORDING_ROLES = frozenset({Role.FACILITATOR, Role.PARTNER, Role.ADMIN})


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 12 else None


def _crumbs(*more):
    return [("Home", reverse("core:home")), ("Commitments", reverse("commitments:list")), *more]


def _visible(request, pk: int) -> Commitment:
    try:
        commitment = selectors.commitment_get(pk)
    except Commitment.DoesNotExist:
        raise Http404("No such commitment") from None
    if not staff.commitment_visible(request.user, pk):
        raise deny(request, "commitment out of scope")
    return commitment


def _commitment_form(request, commitment=None, data=None, initial=None):
    return CommitmentForm(
        data,
        initial=initial,
        **staff.commitment_form_choices(request.user, commitment),
        editing=commitment is not None,
    )


def _fields(data: dict) -> dict:
    """The form's answers as the services take them (its partners a list, not a queryset)."""
    return {
        **{k: v for k, v in data.items() if k != "partners"},
        "partners": list(data["partners"]),
    }


@roles_required(STAFF_ROLES)
def commitment_list(request):
    commitments = selectors.commitments_visible(request.user)
    chosen = request.GET.get("neighbourhood", "")
    commitments = staff.in_neighbourhood(commitments, chosen)
    today = selectors.today()
    page = Paginator(selectors.commitment_list(commitments), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/list.html",
        {
            "page": page,
            "commitments": page.object_list,
            "overdue": {c.pk for c in page.object_list if c.is_overdue(today)},
            "neighbourhoods": staff.neighbourhoods_with_commitments(request.user),
            "chosen": chosen,
            "can_record": request.user.role in RECORDING_ROLES,
            "can_moderate": request.user.role in (Role.FACILITATOR, Role.ADMIN),
            "waiting_actions": origin.actions_without_commitment(request.user)
            if request.user.role in RECORDING_ROLES
            else [],
            "breadcrumbs": [("Home", reverse("core:home")), ("Commitments", None)],
        },
    )


@roles_required(RECORDING_ROLES)
def commitment_create(request):
    partnerships = list(partnerships_for(request.user))
    if not partnerships:
        raise deny(request, "not a member of a partnership")
    initial = {"made_on": selectors.today()}
    if request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    action = staff.plan_action_for(request.user, _int(request.GET.get("action")))
    if action is not None:
        initial.update({k: v for k, v in origin.initial_from_action(action).items() if v})
    initial.update(staff.initial_from_ask(request.user, _int(request.GET.get("ask"))))
    return form_page(
        request,
        _commitment_form(request, data=request.POST or None, initial=initial),
        save=lambda data: services.commitment_create(
            actor=request.user, partnership=data["owner"].partnership, **_fields(data)
        ),
        done="Commitment recorded",
        next_url=lambda commitment: reverse("commitments:detail", args=[commitment.pk]),
        template="commitments/form.html",
        context={
            "heading": "Record a commitment",
            "breadcrumbs": _crumbs(("Record a commitment", None)),
        },
    )


@roles_required(RECORDING_ROLES)
def commitment_edit(request, pk):
    commitment = _visible(request, pk)
    initial = staff.commitment_initial(commitment)
    return form_page(
        request,
        _commitment_form(request, commitment, data=request.POST or None, initial=initial),
        save=lambda data: services.commitment_edit(
            actor=request.user, commitment=commitment, **_fields(data)
        ),
        done="Commitment changed",
        next_url=reverse("commitments:detail", args=[commitment.pk]),
        template="commitments/form.html",
        context={
            "commitment": commitment,
            "heading": "Change the commitment",
            "breadcrumbs": _crumbs(
                (commitment.title, reverse("commitments:detail", args=[pk])), ("Change", None)
            ),
        },
    )


@roles_required(STAFF_ROLES)
def commitment_detail(request, pk):
    commitment = _visible(request, pk)
    return render(
        request,
        "commitments/detail.html",
        {
            "commitment": commitment,
            "parts": selectors.commitment_parts(commitment),
            "history": selectors.history_with_feedback(commitment, public=False),
            "overdue": commitment.is_overdue(selectors.today()),
            "questions": selectors.questions(commitment),
            "feedback": selectors.feedback_for_owner(commitment),
            "can_report": services.may_report(request.user, commitment),
            "can_answer": services.may_report(request.user, commitment),
            "can_moderate": may_moderate(request.user, commitment),
            "can_record": request.user.role in RECORDING_ROLES,
            "breadcrumbs": _crumbs((commitment.title, None)),
        },
    )


@roles_required(RECORDING_ROLES)
def commitment_report(request, pk):
    commitment = _visible(request, pk)
    form = ReportForm(
        request.POST or None,
        initial={
            "status": commitment.status,
            "progress": commitment.progress,
            "on": selectors.today(),
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.commitment_report(
            actor=request.user, commitment=commitment, **data
        ),
        done="Update saved",
        next_url=reverse("commitments:detail", args=[pk]),
        template="commitments/report.html",
        context={
            "commitment": commitment,
            "can_report": services.may_report(request.user, commitment),
            "breadcrumbs": _crumbs(
                (commitment.title, reverse("commitments:detail", args=[pk])),
                ("Report progress", None),
            ),
        },
    )


@roles_required(RECORDING_ROLES)
def milestone_add(request, pk):
    commitment = _visible(request, pk)
    return form_page(
        request,
        MilestoneForm(request.POST or None, initial={"on": selectors.today()}),
        save=lambda data: services.milestone_add(actor=request.user, commitment=commitment, **data),
        done="Milestone added",
        next_url=reverse("commitments:detail", args=[pk]),
        template="commitments/milestone_form.html",
        context={
            "commitment": commitment,
            "can_report": services.may_report(request.user, commitment),
            "breadcrumbs": _crumbs(
                (commitment.title, reverse("commitments:detail", args=[pk])),
                ("Add a milestone", None),
            ),
        },
    )
