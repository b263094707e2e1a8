"""The partnership's own commitment pages: record a promise, report on it, add milestones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from hct.commitments import selectors, services
from hct.commitments.forms import CommitmentForm, MilestoneForm, ReportForm
from hct.commitments.models import Ask, Commitment
from hct.commitments.scrutiny import may_moderate
from hct.commitments.selectors import origin
from hct.core.access import deny, roles_required
from hct.core.forms import add_service_errors
from hct.core.roles import STAFF_ROLES, Role
from hct.partnership.models import Partner
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for

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
    if not selectors.commitments_visible(request.user).filter(pk=pk).exists():
        raise deny(request, "commitment out of scope")
    return commitment


def _commitment_form(request, commitment=None, data=None, initial=None):
    partnerships = partnerships_for(request.user)
    return CommitmentForm(
        data,
        initial=initial,
        neighbourhoods=neighbourhoods_in_scope(request.user),
        owners=Partner.objects.filter(partnership__in=partnerships).order_by("name"),
        parents=selectors.parent_choices(commitment, partnerships.values("pk")),
        asks=Ask.objects.filter(campaign__partnership__in=partnerships).select_related("campaign"),
        actions=origin.plan_actions_for(request.user),
        conversations=origin.conversations_for(request.user),
        editing=commitment is not None,
    )


@roles_required(STAFF_ROLES)
def commitment_list(request):
    commitments = selectors.commitments_visible(request.user)
    neighbourhoods = neighbourhoods_in_scope(request.user).filter(commitments__isnull=False)
    chosen = request.GET.get("neighbourhood", "")
    if chosen:
        commitments = commitments.filter(neighbourhood__slug=chosen)
    today = selectors.today()
    page = Paginator(selectors.commitment_list(commitments), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/list.html",
        {
            "page": page,
            "commitments": page.object_list,
            "overdue": {c.pk for c in page.object_list if c.is_overdue(today)},
            "neighbourhoods": neighbourhoods.distinct().order_by("name"),
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
    action = (
        origin.plan_actions_for(request.user).filter(pk=_int(request.GET.get("action"))).first()
    )
    if action is not None:
        initial.update({k: v for k, v in origin.initial_from_action(action).items() if v})
    form = _commitment_form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_create(
                actor=request.user,
                partnership=data["owner"].partnership,
                **{k: v for k, v in data.items() if k != "partners"},
                partners=list(data["partners"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Commitment recorded")
            return redirect("commitments:detail", pk=commitment.pk)
    return render(
        request,
        "commitments/form.html",
        {
            "form": form,
            "heading": "Record a commitment",
            "breadcrumbs": _crumbs(("Record a commitment", None)),
        },
    )


@roles_required(RECORDING_ROLES)
def commitment_edit(request, pk):
    commitment = _visible(request, pk)
    initial = {
        "title": commitment.title,
        "description": commitment.description,
        "lead_role": commitment.lead_role,
        "partners": list(commitment.partners.all()),
        "answers": commitment.answers,
        "due_on": commitment.due_on,
        "parent": commitment.parent_id,
        "weight": commitment.weight,
        "in_reply_to": commitment.in_reply_to_id,
        "plan_action": commitment.plan_action_id,
        "conversation": commitment.conversation_id,
    }
    form = _commitment_form(request, commitment, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_edit(
                actor=request.user,
                commitment=commitment,
                **{k: v for k, v in data.items() if k != "partners"},
                partners=list(data["partners"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Commitment changed")
            return redirect("commitments:detail", pk=commitment.pk)
    return render(
        request,
        "commitments/form.html",
        {
            "form": form,
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
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_report(
                actor=request.user, commitment=commitment, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Update saved")
            return redirect("commitments:detail", pk=pk)
    return render(
        request,
        "commitments/report.html",
        {
            "form": form,
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
    form = MilestoneForm(request.POST or None, initial={"on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Milestone added")
            return redirect("commitments:detail", pk=pk)
    return render(
        request,
        "commitments/milestone_form.html",
        {
            "form": form,
            "commitment": commitment,
            "can_report": services.may_report(request.user, commitment),
            "breadcrumbs": _crumbs(
                (commitment.title, reverse("commitments:detail", args=[pk])),
                ("Add a milestone", None),
            ),
        },
    )
