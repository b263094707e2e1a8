"""The iceberg board: items, their evidence, and the theme suggestions read from what was said."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hct.conversations import selectors, themes
from hct.conversations.models import (
    Contribution,
    Conversation,
    Evidence,
    IcebergItem,
    IcebergLevel,
    ThemeSuggestion,
)
from hct.core.services import audit_record
from hct.journeys.models import Gap, Touchpoint
from hct.systemmap.models import Actor, Link

ERROR_OTHER_PARTNERSHIP = "That evidence belongs to another partnership"
ERROR_ACROSS_BOARDS = "Only items on the same iceberg board can be merged"
ERROR_MERGE_ITSELF = "Choose a different item to merge with"
ERROR_ALREADY_MERGED = "That item has already been merged into another"
ERROR_ALREADY_CITED = "The item already cites that evidence"
ERROR_SUGGESTION_DONE = "That suggestion has already been {status}"
ERROR_NOTHING_TO_READ = (
    "There is nothing to read yet: capture some contributions, or put a story at the centre"
)
ERROR_NO_EVIDENCE = "Choose the evidence to cite"
ERROR_ACTOR_ELSEWHERE = (
    "{name} is on another neighbourhood's map: choose an actor in {neighbourhood}"
)
ERROR_ACTOR_NOT_HERE = "Choose an actor on {neighbourhood}'s map"


# The iceberg ---------------------------------------------------------------------------------


@transaction.atomic
def item_add(*, actor: Any, conversation: Conversation, level: str, text: str) -> IcebergItem:
    item = IcebergItem(
        conversation=conversation, level=IcebergLevel(level), text=text, created_by=actor
    )
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(actor=actor, verb="iceberg.add", subject=item, details={"level": level})
    return item


@transaction.atomic
def item_edit(*, actor: Any, item: IcebergItem, text: str) -> IcebergItem:
    item.text = text
    item.full_clean(validate_constraints=False)
    item.save(update_fields=["text"])
    audit_record(actor=actor, verb="iceberg.edit", subject=item)
    return item


@transaction.atomic
def item_move(*, actor: Any, item: IcebergItem, level: str) -> IcebergItem:
    """An item sits at exactly one of the four levels."""
    previous = item.level
    item.level = IcebergLevel(level)
    item.save(update_fields=["level"])
    audit_record(
        actor=actor, verb="iceberg.move", subject=item, details={"from": previous, "to": level}
    )
    return item


@transaction.atomic
def item_vote(*, actor: Any, item: IcebergItem, change: int) -> IcebergItem:
    """Add or take away the room's dots on an item; never fewer than none."""
    item = IcebergItem.objects.select_for_update().get(pk=item.pk)
    item.votes = max(0, item.votes + (1 if change > 0 else -1))
    item.save(update_fields=["votes"])
    audit_record(actor=actor, verb="iceberg.vote", subject=item, details={"votes": item.votes})
    return item


@transaction.atomic
def item_merge(*, actor: Any, item: IcebergItem, into: IcebergItem) -> IcebergItem:
    """A duplicate joins the item it repeats, on the same board: its evidence, the visions that
    answer it and the actions that rest on it move across; it leaves the board."""
    # Read both fresh and locked: another facilitator may be voting or merging at the same time.
    locked = {
        i.pk: i for i in IcebergItem.objects.select_for_update().filter(pk__in=[item.pk, into.pk])
    }
    item, into = locked[item.pk], locked[into.pk]
    if item.conversation_id != into.conversation_id:
        raise ValidationError(ERROR_ACROSS_BOARDS)
    if item.pk == into.pk:
        raise ValidationError(ERROR_MERGE_ITSELF)
    if item.merged_into_id or into.merged_into_id:
        raise ValidationError(ERROR_ALREADY_MERGED)
    for evidence in Evidence.objects.filter(item=item):
        # Each piece of evidence cites exactly one thing: the same thing cited by `into`?
        cited = {evidence.kind: getattr(evidence, f"{evidence.kind}_id")}
        duplicate = Evidence.objects.filter(item=into, **cited).exists()
        if duplicate:
            evidence.delete()
        else:
            evidence.item = into
            evidence.save(update_fields=["item"])
    for vision in item.visions.all():
        vision.answers.add(into)
    for action in item.actions.all():
        action.items.add(into)
    ThemeSuggestion.objects.filter(item=item).update(item=into)
    into.votes += item.votes
    into.save(update_fields=["votes"])
    item.merged_into = into
    item.save(update_fields=["merged_into"])
    audit_record(actor=actor, verb="iceberg.merge", subject=item, details={"into": into.pk})
    return into


def _in_partnership(conversation: Conversation, *, person_id: int | None) -> bool:
    if person_id is None:
        return False
    return (
        selectors.people_of_partnership(conversation.cycle.partnership)
        .filter(pk=person_id)
        .exists()
    )


def _link_in_partnership(conversation: Conversation, link: Link) -> bool:
    """A link belongs to a partnership's world when one of its actors lives or works in one of
    its neighbourhoods; a link tied to no place at all (a city-wide service) belongs to any."""
    from hct.places.models import Neighbourhood

    places = Neighbourhood.objects.filter(cycles__partnership=conversation.cycle.partnership)
    tied = False
    for actor in (link.from_actor, link.to_actor):
        if actor.neighbourhood_id:
            tied = True
            if places.filter(pk=actor.neighbourhood_id).exists():
                return True
        if actor.person_id:
            tied = True
            if _in_partnership(conversation, person_id=actor.person_id):
                return True
    return not tied


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    item: IcebergItem,
    contribution: Contribution | None = None,
    touchpoint: Touchpoint | None = None,
    gap: Gap | None = None,
    link: Link | None = None,
) -> Evidence:
    """An item cites one thing at a time, once, and only from its own partnership's work."""
    conversation = item.conversation
    cited = [x for x in (contribution, touchpoint, gap, link) if x is not None]
    if len(cited) != 1:
        raise ValidationError(ERROR_NO_EVIDENCE)
    if contribution is not None:
        same = contribution.conversation.cycle.partnership_id == conversation.cycle.partnership_id
    elif touchpoint is not None:
        same = _in_partnership(conversation, person_id=touchpoint.journey.person_id)
    elif gap is not None:
        same = _in_partnership(conversation, person_id=gap.journey.person_id)
    else:
        assert link is not None
        same = _link_in_partnership(conversation, link)
    if not same:
        raise ValidationError(ERROR_OTHER_PARTNERSHIP)
    evidence = Evidence(
        item=item, contribution=contribution, touchpoint=touchpoint, gap=gap, link=link
    )
    exists = Evidence.objects.filter(
        item=item,
        contribution=contribution,
        touchpoint=touchpoint,
        gap=gap,
        link=link,
    ).exists()
    if exists:
        raise ValidationError(ERROR_ALREADY_CITED)
    evidence.save()
    audit_record(actor=actor, verb="iceberg.cite", subject=item, details={"kind": evidence.kind})
    return evidence


@transaction.atomic
def map_link_mark(
    *,
    actor: Any,
    item: IcebergItem,
    from_actor: Actor,
    to_actor: Actor,
    kind: str,
    status: str,
    note: str = "",
) -> Evidence:
    """What the room said about a link ("the GP never hears back from talking therapies") goes
    on the neighbourhood's map as Big Conversation evidence, and the item cites that link. Only
    shared actors of the cycle's neighbourhood can be chosen: the map is that neighbourhood's."""
    from hct.systemmap.services import link_evidence_add

    neighbourhood = item.conversation.cycle.neighbourhood
    allowed = selectors.map_actors(neighbourhood, item.conversation.cycle.partnership)
    errors = {}
    for field, chosen in (("from_actor", from_actor), ("to_actor", to_actor)):
        if not allowed.filter(pk=chosen.pk).exists():
            elsewhere = chosen.neighbourhood_id and chosen.neighbourhood_id != neighbourhood.pk
            message = ERROR_ACTOR_ELSEWHERE if elsewhere else ERROR_ACTOR_NOT_HERE
            errors[field] = message.format(
                name=chosen.label_for(False), neighbourhood=neighbourhood.name
            )
    if errors:
        raise ValidationError(errors)
    said = link_evidence_add(
        actor=actor,
        from_actor=from_actor,
        to_actor=to_actor,
        kind=kind,
        status=status,
        note=note,
        source="conversation",
    )
    cited = Evidence.objects.filter(item=item, link=said.link).first()
    if cited is not None:
        # Said again: the map has one more piece of evidence, the item already cites the link.
        return cited
    return evidence_add(actor=actor, item=item, link=said.link)


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    audit_record(
        actor=actor, verb="iceberg.uncite", subject=evidence.item, details={"kind": evidence.kind}
    )
    evidence.delete()


# Theme suggestions -----------------------------------------------------------------------------


@transaction.atomic
def themes_suggest(*, actor: Any, conversation: Conversation) -> list[ThemeSuggestion]:
    """Fresh suggestions replace the open ones; those accepted or dropped stay as decided."""
    corpus = selectors.theme_corpus(conversation)
    found = themes.suggest(corpus)
    if not found:
        raise ValidationError(ERROR_NOTHING_TO_READ)
    ThemeSuggestion.objects.filter(
        conversation=conversation, status=ThemeSuggestion.Status.SUGGESTED
    ).delete()
    decided = set(
        ThemeSuggestion.objects.filter(conversation=conversation).values_list("label", flat=True)
    )
    created = ThemeSuggestion.objects.bulk_create(
        [
            ThemeSuggestion(
                conversation=conversation,
                label=t.label,
                terms=t.terms,
                passages=[_kept(p) for p in t.passages],
            )
            for t in found
            if t.label not in decided
        ]
    )
    audit_record(
        actor=actor,
        verb="iceberg.suggest",
        subject=conversation,
        details={"texts": len(corpus), "themes": len(created)},
    )
    return created


def _kept(passage: dict) -> dict:
    """A story's words are not copied into a suggestion, only where they are: shown while the
    story exists and its person still agrees, gone with an erasure or a withdrawal."""
    if passage["source"] == "story":
        return {k: v for k, v in passage.items() if k != "text"}
    return passage


def _open(suggestion: ThemeSuggestion) -> None:
    if suggestion.status != ThemeSuggestion.Status.SUGGESTED:
        raise ValidationError(
            ERROR_SUGGESTION_DONE.format(status=suggestion.get_status_display().lower())
        )


@transaction.atomic
def theme_accept(*, actor: Any, suggestion: ThemeSuggestion, text: str, level: str) -> IcebergItem:
    """An accepted theme becomes an iceberg item (in the facilitator's words), citing the
    contributions behind it."""
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _open(suggestion)
    item = item_add(actor=actor, conversation=suggestion.conversation, level=level, text=text)
    contribution_ids = [p["id"] for p in suggestion.passages if p.get("source") == "contribution"]
    for contribution in Contribution.objects.filter(
        pk__in=contribution_ids,
        conversation__cycle__partnership=suggestion.conversation.cycle.partnership,
    ):
        if not Evidence.objects.filter(item=item, contribution=contribution).exists():
            Evidence.objects.create(item=item, contribution=contribution)
    suggestion.status = ThemeSuggestion.Status.ACCEPTED
    suggestion.item = item
    suggestion.save(update_fields=["status", "item"])
    audit_record(actor=actor, verb="iceberg.theme_accept", subject=suggestion)
    return item


@transaction.atomic
def theme_drop(*, actor: Any, suggestion: ThemeSuggestion) -> ThemeSuggestion:
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _open(suggestion)
    suggestion.status = ThemeSuggestion.Status.DROPPED
    suggestion.save(update_fields=["status"])
    audit_record(actor=actor, verb="iceberg.theme_drop", subject=suggestion)
    return suggestion
