"""The vision for a better story (with its revisions), the plan and its actions, and the
cycle's sensemaking (iceberg, vision, plan) as one printable page and PDF."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.conversations import selectors, services
from hct.conversations.exports import sensemaking_context
from hct.conversations.forms import ActionForm, PlanSummaryForm, VisionForm
from hct.conversations.models import PlanAction
from hct.conversations.views.common import READERS, conversation_for, crumbs, page, pdf_response
from hct.core.access import deny, roles_required
from hct.core.formviews import form_page
from hct.core.roles import Role
from hct.partnership.models import Cycle
from hct.partnership.selectors import _word_diff


@roles_required(*READERS)
def vision(request, pk):
    conversation = conversation_for(request, pk)
    revisions = selectors.vision_revisions(conversation)
    number = request.GET.get("revision")
    shown = revisions[0] if revisions else None
    if number and number.isdigit():
        shown = next((r for r in revisions if r.number == int(number)), shown)
    earlier = next((r for r in revisions if shown and r.number < shown.number), None)
    return render(
        request,
        "conversations/vision.html",
        {
            "conversation": conversation,
            "revision": shown,
            "revisions": revisions,
            "earlier": earlier,
            # The charter's word-by-word comparison, for the vision's revisions too.
            "changes": _word_diff(earlier.text, shown.text) if earlier and shown else "",
            "facilitator": request.user.role == Role.FACILITATOR,
            "breadcrumbs": crumbs(conversation, ("A better story", None)),
        },
    )


@roles_required(Role.FACILITATOR)
def vision_write(request, pk):
    conversation = conversation_for(request, pk)
    items = list(selectors.cycle_items(conversation))
    latest = next(iter(selectors.vision_revisions(conversation)), None)
    form = VisionForm(
        request.POST or None,
        items=items,
        initial={"text": latest.text, "answers": [i.pk for i in latest.answers.all()]}
        if latest
        else None,
    )
    return form_page(
        request,
        form,
        save=lambda data: services.vision_write(
            actor=request.user,
            conversation=conversation,
            text=data["text"],
            note=data["note"],
            answers=services.items_of_cycle(conversation, data["answers"]),
        ),
        done="The vision has been saved as a new revision.",
        next_url=reverse("conversations:vision", args=[pk]),
        context=page(
            conversation,
            title="Write the vision for a better story",
            button="Save this revision",
            intro="Each saving is a new revision; earlier ones are kept.",
        ),
    )


@roles_required(*READERS)
def plan(request, pk):
    conversation = conversation_for(request, pk)
    return render(
        request,
        "conversations/plan.html",
        {
            "conversation": conversation,
            "view": selectors.plan_detail(conversation),
            "facilitator": request.user.role == Role.FACILITATOR,
            "breadcrumbs": crumbs(conversation, ("The plan", None)),
        },
    )


@roles_required(Role.FACILITATOR)
def plan_summary(request, pk):
    conversation = conversation_for(request, pk)
    plan = services.plan_for(actor=request.user, conversation=conversation)
    return form_page(
        request,
        PlanSummaryForm(request.POST or None, initial={"summary": plan.summary}),
        save=lambda data: services.plan_summary_write(
            actor=request.user, plan=plan, summary=data["summary"]
        ),
        done="The plan's summary has been saved.",
        next_url=reverse("conversations:plan", args=[pk]),
        context=page(conversation, title="Say what the plan is for", button="Save"),
    )


def _action_form(request, conversation, initial=None):
    return ActionForm(
        request.POST or None,
        items=list(selectors.cycle_items(conversation)),
        partners=conversation.cycle.partnership.partners.all(),
        initial=initial,
    )


def _action_data(conversation, data) -> dict:
    return {
        **{k: v for k, v in data.items() if k != "items"},
        "items": services.items_of_cycle(conversation, data["items"]),
    }


@roles_required(Role.FACILITATOR)
def action_add(request, pk):
    conversation = conversation_for(request, pk)
    return form_page(
        request,
        _action_form(request, conversation),
        save=lambda data: services.action_add(
            actor=request.user,
            plan=services.plan_for(actor=request.user, conversation=conversation),
            **_action_data(conversation, data),
        ),
        done="The action is in the plan.",
        next_url=reverse("conversations:plan", args=[pk]),
        context=page(
            conversation,
            title="Add an action to the plan",
            button="Add the action",
            intro="Say which level of the iceberg it works at. Actions at the surface react to "
            "events; a plan that shifts the system also reaches its structures and beliefs.",
        ),
    )


def _action(conversation, action_pk) -> PlanAction:
    action = (
        PlanAction.objects.filter(plan__conversation=conversation, pk=action_pk)
        .select_related("plan", "plan__conversation", "plan__conversation__cycle")
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


@roles_required(Role.FACILITATOR)
def action_edit(request, pk, action_pk):
    conversation = conversation_for(request, pk)
    action = _action(conversation, action_pk)
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
    initial["items"] = [i.pk for i in action.items.all()]
    return form_page(
        request,
        _action_form(request, conversation, initial),
        save=lambda data: services.action_update(
            actor=request.user, action=action, **_action_data(conversation, data)
        ),
        done="The action has been saved.",
        next_url=reverse("conversations:plan", args=[pk]),
        context=page(conversation, title="Change an action", button="Save the action"),
    )


@roles_required(Role.FACILITATOR)
@require_POST
def action_remove(request, pk, action_pk):
    conversation = conversation_for(request, pk)
    services.action_remove(actor=request.user, action=_action(conversation, action_pk))
    messages.success(request, "The action has been taken out of the plan.")
    return redirect("conversations:plan", pk=pk)


def _cycle_for(request, cycle_pk) -> Cycle:
    cycle = Cycle.objects.filter(pk=cycle_pk).select_related("partnership", "neighbourhood").first()
    if cycle is None:
        raise Http404("No such cycle")
    if not selectors.cycles_visible(request.user).filter(pk=cycle_pk).exists():
        raise deny(request, "cycle not in scope")
    return cycle


def _sensemaking_context(request, cycle) -> dict:
    return {
        **sensemaking_context(cycle),
        "breadcrumbs": [
            ("Home", reverse("core:home")),
            ("Big Conversations", reverse("conversations:list")),
            (f"Cycle {cycle.number}: iceberg, vision and plan", None),
        ],
    }


@roles_required(*READERS)
def sensemaking(request, cycle_pk):
    cycle = _cycle_for(request, cycle_pk)
    return render(request, "conversations/sensemaking.html", _sensemaking_context(request, cycle))


@roles_required(*READERS)
def sensemaking_pdf(request, cycle_pk):
    cycle = _cycle_for(request, cycle_pk)
    return pdf_response(
        request,
        "conversations/sensemaking.html",
        _sensemaking_context(request, cycle),
        f"cycle-{cycle.number}-iceberg-vision-plan.pdf",
    )
