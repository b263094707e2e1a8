"""The figures of Big Conversations, commitments and matching, joined into learning.

Those apps were built before learning could hear from them, so learning registers their columns
(side by side, the reports, the open data), their report sections and their kinds of evidence
here, reading their models and changing none of them. Each group (Big Conversations,
commitments, practical help) is one statement: each table it reads grouped by neighbourhood
once, a filtered aggregate per column (never a loop over records, nor a query per column);
everything shown goes through `present` and so
through `hct.core.disclosure`, like every other figure of this app.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet, Sum, Value
from django.utils import timezone

from hct.learning.columns import Column, register
from hct.learning.evidence import CHOICES_PER_KIND
from hct.learning.period import Period

BIG_CONVERSATIONS = "Big Conversations"
COMMITMENTS = "Commitments"
PRACTICAL_HELP = "Practical help"

# The balance of the room, as the brief asks for it: community beside statutory services.
ROOM_SIDES = {
    "community": ("From the community", ("community_member", "community_group")),
    "voluntary": ("From the voluntary sector", ("voluntary",)),
    "statutory": ("From statutory services", ("council", "nhs", "gp")),
    "other": ("From elsewhere", ("other",)),
}


# One table's part of a group's statement: its rows, the path from a row to its neighbourhood,
# and the figures it gives (column key -> aggregate, filtered to what that column counts).
Part = tuple[QuerySet, str, dict[str, Aggregate]]
Source = Callable[[list[int], Period], dict[str, dict[int, int]]]


def _together(ids: list[int], parts: list[Part]) -> dict[str, dict[int, int]]:
    """{column key: {neighbourhood id: count}} for every figure of the parts, in one statement:
    each table grouped by neighbourhood once with conditional aggregates, the tables joined by
    UNION ALL (a row carries 0 for the other tables' figures). A neighbourhood with none of a
    figure is left out of it."""
    all_figures = {key: figure for _, _, figures in parts for key, figure in figures.items()}
    keys = list(all_figures)
    queries = [
        rows.filter(**{f"{by}__in": ids})
        .order_by()
        .values(nid=F(by))
        .annotate(**{key: figures.get(key, _zero(all_figures[key])) for key in keys})
        for rows, by, figures in parts
    ]
    found: dict[str, dict[int, int]] = {key: {} for key in keys}
    for row in queries[0].union(*queries[1:], all=True):
        for key in keys:
            # round: hours are a sum of decimals, published as whole hours.
            if value := round(row[key] or 0):
                found[key][row["nid"]] = value
    return found


def _zero(figure: Aggregate) -> Value:
    """The 0 a table gives for another table's figure, of that figure's kind: the statement's
    first table decides each column's type, and a whole-number 0 would cut 3.5 hours to 3."""
    return Value(0.0, output_field=FloatField()) if isinstance(figure, Sum) else Value(0)


def _today() -> dt.date:
    return timezone.localdate()


def _between(field: str, period: Period) -> dict[str, dt.date]:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


# Big Conversations: held in the period (on or before today), who was in the room, the iceberg,
# the plan.


def big_conversations(ids: list[int], period: Period) -> dict[str, dict[int, int]]:
    from hct.conversations.models import (
        Conversation,
        IcebergItem,
        IcebergLevel,
        Participant,
        PlanAction,
    )

    held = Q(date__gte=period.start, date__lte=min(period.end, _today()))
    attended = Participant.objects.filter(
        attended_at__isnull=False, **_between("conversation__date", period)
    )
    # A merged item left the board: it is counted once, as the item it was merged into.
    items = IcebergItem.objects.filter(
        merged_into__isnull=True, **_between("conversation__date", period)
    )
    actions = PlanAction.objects.filter(**_between("plan__conversation__date", period))
    return _together(
        ids,
        [
            (
                Conversation.objects.all(),
                "cycle__neighbourhood",
                {"conversations_held": Count("pk", filter=held)},
            ),
            (
                attended,
                "conversation__cycle__neighbourhood",
                {
                    f"room_{key}": Count("pk", filter=Q(sector__in=sectors))
                    for key, (_, sectors) in ROOM_SIDES.items()
                },
            ),
            (
                items,
                "conversation__cycle__neighbourhood",
                {
                    f"iceberg_{level.value}": Count("pk", filter=Q(level=level.value))
                    for level in IcebergLevel
                },
            ),
            (
                actions,
                "plan__conversation__cycle__neighbourhood",
                {"plan_actions": Count("pk")},
            ),
        ],
    )


# Commitments made in the period, by where they stand now; kept on time; overdue today.


def commitments(ids: list[int], period: Period) -> dict[str, dict[int, int]]:
    from hct.commitments.models import OPEN_STATUSES, Commitment, Status

    figures: dict[str, Aggregate] = {
        f"commitments_{status.value}": Count("pk", filter=Q(status=status.value))
        for status in Status
    }
    figures["commitments_on_time"] = Count(
        "pk", filter=Q(status=Status.DONE, done_on__isnull=False, done_on__lte=F("due_on"))
    )
    figures["commitments_overdue"] = Count(
        "pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=_today())
    )
    made = Commitment.objects.filter(**_between("made_on", period))
    return _together(ids, [(made, "neighbourhood", figures)])


# Matching: a person's neighbourhood is their home LSOA's.


def practical_help(ids: list[int], period: Period) -> dict[str, dict[int, int]]:
    """Needs now met that a match in the period was for (a need met twice counts once); matches
    active now that began by the end of the period; hours that people living here gave through
    matches in the period (a group's hours are not a person giving back), in whole hours."""
    from hct.matching.models import HoursLogged, Match
    from hct.people.models import Need

    begun = Match.objects.filter(started_on__lte=period.end)
    met = Q(need__status=Need.Status.MET, started_on__gte=period.start)
    given = HoursLogged.objects.filter(giver__isnull=False, **_between("on", period))
    return _together(
        ids,
        [
            (
                begun,
                "need__person__home_lsoa__neighbourhoods",
                {
                    "needs_met": Count("need", filter=met, distinct=True),
                    "matches_active": Count("pk", filter=Q(status=Match.Status.ACTIVE)),
                },
            ),
            (given, "giver__home_lsoa__neighbourhoods", {"hours_given_back": Sum("hours")}),
        ],
    )


def _column(
    key: str, label: str, group: str, order: int, description: str, source: Source
) -> Column:
    """A column given, with the rest of its group, by one statement (`source`); asked alone it
    runs that statement and keeps its own figure."""
    return Column(
        key,
        label,
        group,
        order,
        description,
        lambda ids, period: source(ids, period).get(key, {}),
        source=source,
    )


def register_columns() -> None:
    from hct.commitments.models import Status
    from hct.conversations.models import IcebergLevel

    register(
        _column(
            "conversations_held",
            "Held",
            BIG_CONVERSATIONS,
            100,
            "Big Conversations held in the period",
            big_conversations,
        )
    )
    for position, (key, (label, sectors)) in enumerate(ROOM_SIDES.items()):
        register(
            _column(
                f"room_{key}",
                f"In the room: {label.lower()}",
                BIG_CONVERSATIONS,
                110 + position,
                f"People who came to a Big Conversation in the period, {label.lower()} "
                f"({', '.join(sectors)})",
                big_conversations,
            )
        )
    for position, level in enumerate(IcebergLevel):
        register(
            _column(
                f"iceberg_{level.value}",
                f"Iceberg: {level.label.lower()}",
                BIG_CONVERSATIONS,
                120 + position,
                f"Iceberg items at the level of {level.label.lower()} from the period's "
                "Big Conversations (merged items counted once)",
                big_conversations,
            )
        )
    register(
        _column(
            "plan_actions",
            "Plan actions",
            BIG_CONVERSATIONS,
            130,
            "Actions in the plans made at the period's Big Conversations",
            big_conversations,
        )
    )
    for position, status in enumerate(Status):
        register(
            _column(
                f"commitments_{status.value}",
                status.label,
                COMMITMENTS,
                200 + position,
                f"Commitments made in the period that are now: {status.label.lower()}",
                commitments,
            )
        )
    register(
        _column(
            "commitments_on_time",
            "Kept on time",
            COMMITMENTS,
            210,
            "Commitments made in the period and done by the date they were due",
            commitments,
        )
    )
    register(
        _column(
            "commitments_overdue",
            "Overdue",
            COMMITMENTS,
            211,
            "Commitments made in the period, still open and past the date they were due",
            commitments,
        )
    )
    register(
        _column(
            "needs_met",
            "Needs met by a match",
            PRACTICAL_HELP,
            300,
            "Needs now met that a match begun in the period was for",
            practical_help,
        )
    )
    register(
        _column(
            "matches_active",
            "Matches active",
            PRACTICAL_HELP,
            301,
            "Matches active now that began by the end of the period",
            practical_help,
        )
    )
    register(
        _column(
            "hours_given_back",
            "Hours given back",
            PRACTICAL_HELP,
            302,
            "Hours that people living here gave to others through matches in the period",
            practical_help,
        )
    )


# Evidence a lesson can cite: the cycle's conversations, its neighbourhood's commitments, and the
# matches of people living there. Labels never carry a person's alias (a lesson is read by
# partners and the board): a match is named by the kind of help and when it began.


def _conversations(cycle) -> list[tuple[str, str]]:
    from hct.conversations.models import Conversation

    held = Conversation.objects.filter(cycle=cycle).order_by("-date", "-id")
    return [(str(c.pk), f"{c} ({c.date:%d %B %Y})") for c in held[:CHOICES_PER_KIND]]


def _commitments(cycle) -> list[tuple[str, str]]:
    from hct.commitments.models import Commitment

    made = Commitment.objects.filter(neighbourhood_id=cycle.neighbourhood_id).order_by(
        "-made_on", "-id"
    )
    return [
        (str(c.pk), f"{c.title} ({c.get_status_display().lower()}, due {c.due_on:%d %B %Y})")
        for c in made.only("pk", "title", "status", "due_on")[:CHOICES_PER_KIND]
    ]


def _matches(cycle) -> list[tuple[str, str]]:
    from hct.matching.models import Match

    here = Match.objects.filter(
        need__person__home_lsoa__neighbourhoods=cycle.neighbourhood_id
    ).order_by("-created_at", "-id")
    return [
        (str(m.pk), _match_label(m))
        for m in here.select_related("need").only("pk", "status", "started_on", "need__kind")[
            :CHOICES_PER_KIND
        ]
    ]


def _match_label(match) -> str:
    began = f", begun {match.started_on:%d %B %Y}" if match.started_on else ""
    return f"{match.need.get_kind_display()} match ({match.get_status_display().lower()}{began})"


def register_evidence() -> None:
    from django.urls import reverse

    from hct.learning.evidence import EvidenceKind
    from hct.learning.evidence import register as register_kind

    register_kind(
        EvidenceKind(
            "conversation",
            "Big Conversation",
            40,
            _conversations,
            lambda pk: reverse("conversations:detail", args=[int(pk)]),
        )
    )
    register_kind(
        EvidenceKind(
            "commitment",
            "Commitment",
            50,
            _commitments,
            lambda pk: reverse("commitments:detail", args=[int(pk)]),
        )
    )
    register_kind(
        EvidenceKind(
            "match",
            "Match",
            60,
            _matches,
            lambda pk: reverse("matching:match", args=[int(pk)]),
        )
    )


def register_sections() -> None:
    from hct.learning.reports.sections import group_section
    from hct.learning.reports.sections import register as register_section

    for position, (key, title, group, intro) in enumerate(
        [
            (
                "big_conversations",
                "Big Conversations",
                BIG_CONVERSATIONS,
                "The conversations held, who came (community beside services: the balance "
                "of the room), the iceberg items raised at each level, and the plan's actions.",
            ),
            (
                "commitments",
                "Commitments",
                COMMITMENTS,
                "Commitments made in the period, where each stands now, how many were kept "
                "by the date promised and how many are overdue.",
            ),
            (
                "practical_help",
                "Practical help",
                PRACTICAL_HELP,
                "Needs met by matching people with someone who can help, and matches active now.",
            ),
        ]
    ):
        register_section(
            group_section(key, title, group, [intro]),
            reports={"board": 46 + position, "funder": 36 + position},
        )
