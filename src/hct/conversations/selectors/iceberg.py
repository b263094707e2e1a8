"""Reads for the iceberg board: its levels and items, what an item may cite, the themes
suggested from what was said, and the actors a conversation may mark a link between."""

from django.db.models import Prefetch, Q, QuerySet

from hct.conversations.models import (
    ICEBERG_ORDER,
    ICEBERG_PROMPTS,
    ICEBERG_RESPONSES,
    Contribution,
    Conversation,
    Evidence,
    IcebergItem,
    ThemeSuggestion,
)
from hct.journeys.models import Gap, Story, Touchpoint
from hct.partnership.models import Partnership
from hct.people.models import Person, Purpose
from hct.places.models import Neighbourhood
from hct.systemmap.models import Actor, Link


def iceberg_board(conversation: Conversation) -> list[dict]:
    """The four levels, top to bottom, each with its prompt and its items (merged items go)."""
    items = list(
        IcebergItem.objects.filter(conversation=conversation, merged_into__isnull=True)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related(
                    "contribution",
                    "touchpoint",
                    "touchpoint__actor",
                    "gap",
                    "link",
                    "link__from_actor",
                    "link__to_actor",
                ),
            ),
            Prefetch("merged", queryset=IcebergItem.objects.order_by("id")),
        )
        .order_by("-votes", "id")
    )
    return [
        {
            "level": level,
            "label": level.label,
            "prompt": ICEBERG_PROMPTS[level],
            "response": ICEBERG_RESPONSES[level],
            "index": i,
            "items": [item for item in items if item.level == level],
        }
        for i, level in enumerate(ICEBERG_ORDER)
    ]


def evidence_choices(conversation: Conversation, *, sees_private: bool) -> dict[str, list]:
    """What a facilitator can cite on this board: contributions of the cycle's conversations,
    the touchpoints and gaps of the journeys at their centre, and the map's broken or missing
    links around them."""
    cycle_conversations = Conversation.objects.filter(cycle=conversation.cycle)
    journeys = cycle_conversations.exclude(journey=None).values("journey")
    touchpoints = list(
        Touchpoint.objects.filter(journey__in=journeys)
        .select_related("actor")
        .order_by("journey", "position")
    )
    gaps = list(
        Gap.objects.filter(journey__in=journeys)
        .select_related("before", "after")
        .order_by("journey", "id")
    )
    actors = {t.actor_id for t in touchpoints}
    links = list(
        Link.objects.filter(Q(from_actor__in=actors) | Q(to_actor__in=actors))
        .exclude(status=Link.Status.WORKING)
        .select_related("from_actor", "to_actor")
        .order_by("id")
    )
    return {
        "contribution": [
            (c.pk, f"{c.get_kind_display()}: {c.text[:80]}")
            for c in Contribution.objects.filter(conversation__in=cycle_conversations).order_by(
                "id"
            )
        ],
        "touchpoint": [
            (
                t.pk,
                f"{t.position}. {t.when}: {t.get_what_display()}, {t.actor.label_for(sees_private)}",
            )
            for t in touchpoints
        ],
        "gap": [
            (g.pk, f"{g.get_kind_display()} (between {g.before.position} and {g.after.position})")
            for g in gaps
        ],
        "link": [
            (
                link.pk,
                f"{link.from_actor.label_for(sees_private)} → "
                f"{link.to_actor.label_for(sees_private)}: {link.get_status_display()}",
            )
            for link in links
        ],
    }


def theme_suggestions(
    conversation: Conversation, *, pk: int | None = None
) -> list[ThemeSuggestion]:
    """Suggestions with their passages' words: a story's passage is read from the story now,
    and left out once the story is gone or its person no longer agrees to it being told."""
    from hct.people.selectors import with_consent

    found = ThemeSuggestion.objects.filter(conversation=conversation).order_by("status", "id")
    suggestions = list(found if pk is None else found.filter(pk=pk))
    story_ids = {p["id"] for s in suggestions for p in s.passages if p.get("source") == "story"}
    consenting = with_consent(Person.objects.all(), Purpose.STORY_AT_CONVERSATION)
    stories = dict(
        Story.objects.filter(pk__in=story_ids, person__in=consenting.values("pk")).values_list(
            "pk", "text"
        )
    )
    for suggestion in suggestions:
        shown = []
        for passage in suggestion.passages:
            if passage.get("source") == "story":
                text = stories.get(passage["id"])
                if text is None:
                    continue
                passage = {**passage, "text": text[passage["start"] : passage["end"]]}
            shown.append(passage)
        suggestion.passages = shown
    return suggestions


def theme_corpus(conversation: Conversation) -> list[tuple[str, int, str]]:
    """The texts behind a conversation: the contributions of its cycle's conversations so far,
    and the stories at their centre whose people still consent to them being told."""
    from hct.people.selectors import with_consent

    cycle_conversations = Conversation.objects.filter(
        cycle=conversation.cycle, number__lte=conversation.number
    )
    texts: list[tuple[str, int, str]] = [
        ("contribution", pk, text)
        for pk, text in Contribution.objects.filter(conversation__in=cycle_conversations)
        .order_by("id")
        .values_list("pk", "text")
    ]
    consenting = with_consent(Person.objects.all(), Purpose.STORY_AT_CONVERSATION)
    texts += [
        ("story", pk, text)
        for pk, text in Story.objects.filter(
            pk__in=cycle_conversations.exclude(story=None).values("story"),
            person__in=consenting.values("pk"),
        )
        .order_by("id")
        .values_list("pk", "text")
    ]
    return texts


def map_actors(neighbourhood: Neighbourhood, partnership: Partnership | None = None) -> QuerySet:
    """The actors a conversation may mark a link between: the shared ones on its partnership's
    map of its neighbourhood. Actors about one person (Sam's sister) stay on that person's own
    map, never here."""
    from hct.systemmap.selectors import neighbourhood_actors

    return (
        neighbourhood_actors(neighbourhood, partnership)
        .filter(person__isnull=True, private=False)
        .order_by("name", "pk")
    )


def item_in(conversation: Conversation, pk: int) -> IcebergItem | None:
    """An item of this conversation's board, or None."""
    return (
        IcebergItem.objects.filter(conversation=conversation, pk=pk)
        .select_related("conversation", "conversation__cycle")
        .first()
    )


def item_get(pk: int) -> IcebergItem | None:
    return IcebergItem.objects.filter(pk=pk).first()


def other_items(conversation: Conversation, item: IcebergItem) -> list[IcebergItem]:
    """The board's other items, those this one may be merged into."""
    return [i for level in iceberg_board(conversation) for i in level["items"] if i.pk != item.pk]


def item_evidence(item: IcebergItem) -> QuerySet[Evidence]:
    return Evidence.objects.filter(item=item).select_related(
        "contribution", "touchpoint", "touchpoint__actor", "gap", "link"
    )


def citable(kind: str, pk: int):
    """What an item may cite, by kind (`contribution`, `touchpoint`, `gap`, `link`), or None."""
    models = {"contribution": Contribution, "touchpoint": Touchpoint, "gap": Gap, "link": Link}
    return models[kind]._default_manager.filter(pk=pk).first()


def actors_by_pk(pks: list[int]) -> dict:
    return Actor.objects.in_bulk(pks)
