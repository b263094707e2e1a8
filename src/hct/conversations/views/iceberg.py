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
    IcebergItem,
    ThemeSuggestion,
)
from hct.conversations.views.common import READERS, conversation_for, crumbs, page
from hct.core.access import roles_required
from hct.core.formviews import form_page, form_posted
from hct.core.roles import Role


def _board_url(pk: int, item: IcebergItem | None = None) -> str:
    return reverse("conversations:iceberg", args=[pk]) + (f"#item-{item.pk}" if item else "")


def _item(conversation, item_pk) -> IcebergItem:
    item = selectors.item_in(conversation, item_pk)
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
    others = selectors.other_items(conversation, item)
    forms = _item_forms(request, conversation, item, others)
    answered = _item_posted(request, item, **forms)
    return answered or render(
        request,
        "conversations/item.html",
        {
            **forms,
            "conversation": conversation,
            "item": item,
            "evidence": list(selectors.item_evidence(item)),
            "merge_form": forms["merge_form"] if others else None,
            "neighbourhood": conversation.cycle.neighbourhood,
            "merged": list(item.merged.order_by("id")),
            "breadcrumbs": crumbs(
                conversation,
                ("Iceberg", reverse("conversations:iceberg", args=[pk])),
                ("An item", None),
            ),
        },
    )


def _item_forms(request, conversation, item, others) -> dict:
    """The item page's four forms; only the one sent (its hidden `form` field) is bound."""

    def sent(name):
        return request.POST if request.POST.get("form") == name else None

    neighbourhood = conversation.cycle.neighbourhood
    choices = selectors.evidence_choices(conversation, sees_private=False)
    return {
        "evidence_form": EvidenceForm(sent("evidence"), choices=choices),
        "merge_form": MergeForm(sent("merge"), items=others),
        "edit_form": ItemForm(sent("edit"), initial={"level": item.level, "text": item.text}),
        "map_form": MapLinkForm(
            sent("maplink"),
            actors=selectors.map_actors(neighbourhood, conversation.cycle.partnership),
            neighbourhood=neighbourhood.name,
        ),
    }


ERROR_EVIDENCE_GONE = "That evidence no longer exists"


def _item_posted(request, item, *, evidence_form, merge_form, edit_form, map_form):
    def item_url(into=None):
        return reverse("conversations:item", args=[item.conversation_id, (into or item).pk])

    return (
        form_posted(
            request,
            evidence_form,
            save=lambda data: _cite(request, item, data),
            done="The evidence is cited.",
            next_url=item_url(),
        )
        or form_posted(
            request,
            merge_form,
            save=lambda data: _merge(request, item, data),
            done="Merged: the duplicate's evidence is with this item now.",
            next_url=item_url,
        )
        or form_posted(
            request,
            edit_form,
            save=lambda data: _edit(request, item, data),
            done="The item has been saved.",
            next_url=_board_url(item.conversation_id, item),
        )
        or form_posted(
            request,
            map_form,
            save=lambda data: _mark_on_map(request, item, data),
            done="The link is marked on the map and cited by this item.",
            next_url=item_url(),
        )
    )


def _cite(request, item, data):
    target = selectors.citable(data["kind"], data["pk"])
    if target is None:
        raise ValidationError(ERROR_EVIDENCE_GONE)
    return services.evidence_add(actor=request.user, item=item, **{data["kind"]: target})


def _merge(request, item, data) -> IcebergItem:
    into = selectors.item_get(data["into"])
    if into is None:
        raise ValidationError({"into": services.ERROR_ACROSS_BOARDS})
    services.item_merge(actor=request.user, item=item, into=into)
    return into


def _edit(request, item, data):
    services.item_edit(actor=request.user, item=item, text=data["text"])
    if data["level"] != item.level:
        services.item_move(actor=request.user, item=item, level=data["level"])


def _mark_on_map(request, item, data):
    actors = selectors.actors_by_pk([data["from_actor"], data["to_actor"]])
    gone = [f for f in ("from_actor", "to_actor") if data[f] not in actors]
    if gone:
        raise ValidationError({f: "That actor is no longer on the map" for f in gone})
    return services.map_link_mark(
        actor=request.user,
        item=item,
        from_actor=actors[data["from_actor"]],
        to_actor=actors[data["to_actor"]],
        kind=data["link_kind"],
        status=data["link_status"],
        note=data["link_note"],
    )


@roles_required(Role.FACILITATOR)
@require_POST
def evidence_remove(request, pk, item_pk, evidence_pk):
    conversation = conversation_for(request, pk)
    item = _item(conversation, item_pk)
    evidence = selectors.item_evidence(item).filter(pk=evidence_pk).first()
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
