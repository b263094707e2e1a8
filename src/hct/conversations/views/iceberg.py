"""The iceberg board: items at four levels with their evidence, moved by drag and drop or by
keyboard (each move is a form button, so it works without JavaScript), merged when duplicated;
and theme suggestions to accept, edit or drop."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.conversations import selectors, services
from hct.conversations.forms import (
    AcceptThemeForm,
    EvidenceForm,
    ItemForm,
    MapLinkForm,
    MergeForm,
    MoveForm,
)
from hct.conversations.models import (
    Contribution,
    Evidence,
    IcebergItem,
    ThemeSuggestion,
)
from hct.conversations.views.common import READERS, conversation_for, crumbs, page
from hct.core.access import roles_required
from hct.core.forms import add_service_errors
from hct.core.formviews import form_page, form_posted
from hct.core.roles import Role
from hct.journeys.models import Gap, Touchpoint
from hct.systemmap.models import Actor, Link


def _board_url(pk: int, item: IcebergItem | None = None) -> str:
    return reverse("conversations:iceberg", args=[pk]) + (f"#item-{item.pk}" if item else "")


def _item(conversation, item_pk) -> IcebergItem:
    item = (
        IcebergItem.objects.filter(conversation=conversation, pk=item_pk)
        .select_related("conversation", "conversation__cycle")
        .first()
    )
    if item is None:
        raise Http404("No such item")
    return item


@roles_required(*READERS)
def board(request, pk):
    conversation = conversation_for(request, pk)
    facilitator = request.user.role == Role.FACILITATOR
    form = ItemForm(request.POST or None) if facilitator else None
    done = form_posted(
        request,
        form,
        save=lambda data: services.item_add(actor=request.user, conversation=conversation, **data),
        done="The item is on the board.",
        next_url=lambda item: _board_url(pk, item),
    )
    if done:
        return done
    levels = selectors.iceberg_board(conversation)
    items = [item for level in levels for item in level["items"]]
    return render(
        request,
        "conversations/iceberg.html",
        {
            "conversation": conversation,
            "levels": levels,
            "items": items,
            "facilitator": facilitator,
            "form": form,
            "suggestions": [
                s
                for s in selectors.theme_suggestions(conversation)
                if s.status == ThemeSuggestion.Status.SUGGESTED
            ],
            "breadcrumbs": crumbs(conversation, ("Iceberg", None)),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def item_move(request, pk, item_pk):
    """Move an item to a level (the board's buttons and its drag and drop both post here)."""
    conversation = conversation_for(request, pk)
    item = _item(conversation, item_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the four levels")
    else:
        item = services.item_move(actor=request.user, item=item, level=form.cleaned_data["level"])
        messages.success(request, f"Moved to {item.get_level_display().lower()}.")
    return redirect(_board_url(pk, item))


@roles_required(Role.FACILITATOR)
@require_POST
def item_vote(request, pk, item_pk):
    """One dot more or less on an item, as the room places them."""
    conversation = conversation_for(request, pk)
    item = _item(conversation, item_pk)
    item = services.item_vote(
        actor=request.user, item=item, change=1 if request.POST.get("vote") != "down" else -1
    )
    messages.success(request, f"{item.votes} dot{'s' if item.votes != 1 else ''} on the item.")
    return redirect(_board_url(pk, item))


@roles_required(Role.FACILITATOR)
def item_detail(request, pk, item_pk):
    """One item: edit it, cite evidence for it, merge it into the item it repeats."""
    conversation = conversation_for(request, pk)
    item = _item(conversation, item_pk)
    if item.merged_into_id:
        return redirect("conversations:item", pk=pk, item_pk=item.merged_into_id)
    others = [
        i
        for level in selectors.iceberg_board(conversation)
        for i in level["items"]
        if i.pk != item.pk
    ]
    choices = selectors.evidence_choices(conversation, sees_private=False)
    evidence_form = EvidenceForm(
        request.POST if request.POST.get("form") == "evidence" else None, choices=choices
    )
    merge_form = MergeForm(
        request.POST if request.POST.get("form") == "merge" else None, items=others
    )
    edit_form = ItemForm(
        request.POST if request.POST.get("form") == "edit" else None,
        initial={"level": item.level, "text": item.text},
    )
    neighbourhood = conversation.cycle.neighbourhood
    map_form = MapLinkForm(
        request.POST if request.POST.get("form") == "maplink" else None,
        actors=selectors.map_actors(neighbourhood, conversation.cycle.partnership),
        neighbourhood=neighbourhood.name,
    )
    if request.method == "POST":
        done = _item_post(request, item, evidence_form, merge_form, edit_form, map_form)
        if done:
            return done
    evidence = list(
        Evidence.objects.filter(item=item).select_related(
            "contribution", "touchpoint", "touchpoint__actor", "gap", "link"
        )
    )
    return render(
        request,
        "conversations/item.html",
        {
            "conversation": conversation,
            "item": item,
            "evidence": evidence,
            "evidence_form": evidence_form,
            "merge_form": merge_form if others else None,
            "edit_form": edit_form,
            "map_form": map_form,
            "neighbourhood": neighbourhood,
            "merged": list(item.merged.order_by("id")),
            "breadcrumbs": crumbs(
                conversation,
                ("Iceberg", reverse("conversations:iceberg", args=[pk])),
                ("An item", None),
            ),
        },
    )


CITABLE = {"contribution": Contribution, "touchpoint": Touchpoint, "gap": Gap, "link": Link}
ERROR_EVIDENCE_GONE = "That evidence no longer exists"


def _cite(request, item, form):
    kind, target_pk = form.cleaned_data["kind"], form.cleaned_data["pk"]
    target = CITABLE[kind].objects.filter(pk=target_pk).first()
    if target is None:
        raise ValidationError(ERROR_EVIDENCE_GONE)
    services.evidence_add(actor=request.user, item=item, **{kind: target})
    messages.success(request, "The evidence is cited.")
    return redirect("conversations:item", pk=item.conversation_id, item_pk=item.pk)


def _merge(request, item, form):
    into = IcebergItem.objects.filter(pk=form.cleaned_data["into"]).first()
    if into is None:
        raise ValidationError({"into": services.ERROR_ACROSS_BOARDS})
    services.item_merge(actor=request.user, item=item, into=into)
    messages.success(request, "Merged: the duplicate's evidence is with this item now.")
    return redirect("conversations:item", pk=item.conversation_id, item_pk=into.pk)


def _edit(request, item, form):
    services.item_edit(actor=request.user, item=item, text=form.cleaned_data["text"])
    if form.cleaned_data["level"] != item.level:
        services.item_move(actor=request.user, item=item, level=form.cleaned_data["level"])
    messages.success(request, "The item has been saved.")
    return redirect(_board_url(item.conversation_id, item))


def _mark_on_map(request, item, form):
    data = form.cleaned_data
    actors = Actor.objects.in_bulk([data["from_actor"], data["to_actor"]])
    gone = [f for f in ("from_actor", "to_actor") if data[f] not in actors]
    if gone:
        raise ValidationError({f: "That actor is no longer on the map" for f in gone})
    services.map_link_mark(
        actor=request.user,
        item=item,
        from_actor=actors[data["from_actor"]],
        to_actor=actors[data["to_actor"]],
        kind=data["link_kind"],
        status=data["link_status"],
        note=data["link_note"],
    )
    messages.success(request, "The link is marked on the map and cited by this item.")
    return redirect("conversations:item", pk=item.conversation_id, item_pk=item.pk)


def _item_post(request, item, evidence_form, merge_form, edit_form, map_form):
    """The item page has four forms; the hidden `form` field says which was sent."""
    which = request.POST.get("form")
    handlers = {
        "evidence": (evidence_form, _cite),
        "merge": (merge_form, _merge),
        "edit": (edit_form, _edit),
        "maplink": (map_form, _mark_on_map),
    }
    if which not in handlers:
        return None
    form, handle = handlers[which]
    if not form.is_valid():
        return None
    try:
        return handle(request, item, form)
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@roles_required(Role.FACILITATOR)
@require_POST
def evidence_remove(request, pk, item_pk, evidence_pk):
    conversation = conversation_for(request, pk)
    item = _item(conversation, item_pk)
    evidence = Evidence.objects.filter(item=item, pk=evidence_pk).first()
    if evidence is None:
        raise Http404("No such evidence")
    services.evidence_remove(actor=request.user, evidence=evidence)
    messages.success(request, "The evidence is no longer cited.")
    return redirect("conversations:item", pk=pk, item_pk=item.pk)


@roles_required(Role.FACILITATOR)
@require_POST
def themes_suggest(request, pk):
    conversation = conversation_for(request, pk)
    try:
        found = services.themes_suggest(actor=request.user, conversation=conversation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{len(found)} themes suggested from what was said.")
    return redirect(reverse("conversations:iceberg", args=[pk]) + "#themes")


def _suggestion(conversation, suggestion_pk) -> ThemeSuggestion:
    """The suggestion, its story passages read through the consent check."""
    found = selectors.theme_suggestions(conversation, pk=suggestion_pk)
    if not found:
        raise Http404("No such suggestion")
    return found[0]


@roles_required(Role.FACILITATOR)
def theme_accept(request, pk, suggestion_pk):
    conversation = conversation_for(request, pk)
    suggestion = _suggestion(conversation, suggestion_pk)
    passages = "; ".join(f"“{p['text'][:120]}”" for p in suggestion.passages)
    return form_page(
        request,
        AcceptThemeForm(request.POST or None, initial={"text": suggestion.label.capitalize()}),
        save=lambda data: services.theme_accept(actor=request.user, suggestion=suggestion, **data),
        done="The theme is on the board, citing the contributions behind it.",
        next_url=lambda item: _board_url(pk, item),
        context=page(
            conversation,
            title="Accept a suggested theme",
            button="Put it on the board",
            intro=f"Suggested from: {passages}. Put it in your words and choose its level.",
        ),
    )


@roles_required(Role.FACILITATOR)
@require_POST
def theme_drop(request, pk, suggestion_pk):
    conversation = conversation_for(request, pk)
    suggestion = _suggestion(conversation, suggestion_pk)
    try:
        services.theme_drop(actor=request.user, suggestion=suggestion)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The suggestion has been dropped.")
    return redirect(reverse("conversations:iceberg", args=[pk]) + "#themes")
