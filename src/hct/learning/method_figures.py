"""The figures of Big Conversations, commitments and matching, joined into learning.

Those apps were built before learning could hear from them, so learning registers their columns
(side by side, the reports, the open data), their report sections and their kinds of evidence
here, reading their models and changing none of them. Each column is one grouped query
per neighbourhood (never a loop over records); everything shown goes through `present` and so
through `hct.core.disclosure`, like every other figure of this app.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
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


def _grouped(queryset: QuerySet, by: str, ids: list[int], count: str = "pk") -> dict[int, int]:
    """{neighbourhood id: count} in one GROUP BY; a neighbourhood with none is left out."""
    rows = (
        queryset.filter(**{f"{by}__in": ids})
        .order_by()
        .values(by)
        .annotate(n=Count(count, distinct=True))
    )
    return {row[by]: row["n"] for row in rows if row["n"]}


def _today() -> dt.date:
    return timezone.localdate()


# Big Conversations: held in the period (on or before today), who was in the room, the iceberg,
# the plan.


def _held(period: Period) -> Q:
    return Q(date__gte=period.start, date__lte=min(period.end, _today()))


def conversations_held(ids: list[int], period: Period) -> dict[int, int]:
    from hct.conversations.models import Conversation

    return _grouped(Conversation.objects.filter(_held(period)), "cycle__neighbourhood", ids)


def room(sectors: tuple[str, ...]) -> Callable[[list[int], Period], dict[int, int]]:
    def counts(ids: list[int], period: Period) -> dict[int, int]:
        from hct.conversations.models import Participant

        attended = Participant.objects.filter(
            attended_at__isnull=False,
            sector__in=sectors,
            conversation__date__gte=period.start,
            conversation__date__lte=period.end,
        )
        return _grouped(attended, "conversation__cycle__neighbourhood", ids)

    return counts


def iceberg(level: str) -> Callable[[list[int], Period], dict[int, int]]:
    def counts(ids: list[int], period: Period) -> dict[int, int]:
        from hct.conversations.models import IcebergItem

        # A merged item left the board: it is counted once, as the item it was merged into.
        items = IcebergItem.objects.filter(
            level=level,
            merged_into__isnull=True,
            conversation__date__gte=period.start,
            conversation__date__lte=period.end,
        )
        return _grouped(items, "conversation__cycle__neighbourhood", ids)

    return counts


def plan_actions(ids: list[int], period: Period) -> dict[int, int]:
    from hct.conversations.models import PlanAction

    actions = PlanAction.objects.filter(
        plan__conversation__date__gte=period.start, plan__conversation__date__lte=period.end
    )
    return _grouped(actions, "plan__conversation__cycle__neighbourhood", ids)


# Commitments made in the period, by where they stand now; kept on time; overdue today.


def _made(period: Period) -> Q:
    return Q(made_on__gte=period.start, made_on__lte=period.end)


def commitments_by_status(status: str) -> Callable[[list[int], Period], dict[int, int]]:
    def counts(ids: list[int], period: Period) -> dict[int, int]:
        from hct.commitments.models import Commitment

        made = Commitment.objects.filter(_made(period), status=status)
        return _grouped(made, "neighbourhood", ids)

    return counts


def commitments_on_time(ids: list[int], period: Period) -> dict[int, int]:
    from django.db.models import F

    from hct.commitments.models import Commitment, Status

    kept = Commitment.objects.filter(
        _made(period), status=Status.DONE, done_on__isnull=False, done_on__lte=F("due_on")
    )
    return _grouped(kept, "neighbourhood", ids)


def commitments_overdue(ids: list[int], period: Period) -> dict[int, int]:
    from hct.commitments.models import OPEN_STATUSES, Commitment

    late = Commitment.objects.filter(_made(period), status__in=OPEN_STATUSES, due_on__lt=_today())
    return _grouped(late, "neighbourhood", ids)


# Matching: a person's neighbourhood is their home LSOA's.

_NEED_HOME = "need__person__home_lsoa__neighbourhoods"


def needs_met(ids: list[int], period: Period) -> dict[int, int]:
    """Needs now met that a match in the period was for (a need met twice counts once)."""
    from hct.matching.models import Match
    from hct.people.models import Need

    matched = Match.objects.filter(
        need__status=Need.Status.MET,
        started_on__gte=period.start,
        started_on__lte=period.end,
    )
    return _grouped(matched, _NEED_HOME, ids, count="need")


def matches_active(ids: list[int], period: Period) -> dict[int, int]:
    """Matches active now that began by the end of the period."""
    from hct.matching.models import Match

    active = Match.objects.filter(status=Match.Status.ACTIVE, started_on__lte=period.end)
    return _grouped(active, _NEED_HOME, ids)


def hours_given_back(ids: list[int], period: Period) -> dict[int, int]:
    """Hours that people living here gave through matches in the period (a group's hours are not
    a person giving back), rounded to whole hours, in one GROUP BY."""
    from django.db.models import Sum

    from hct.matching.models import HoursLogged

    by = "giver__home_lsoa__neighbourhoods"
    rows = (
        HoursLogged.objects.filter(
            giver__isnull=False, on__gte=period.start, on__lte=period.end, **{f"{by}__in": ids}
        )
        .order_by()
        .values(by)
        .annotate(total=Sum("hours"))
    )
    return {row[by]: round(row["total"]) for row in rows if row["total"] and round(row["total"])}


def register_columns() -> None:
    from hct.commitments.models import Status
    from hct.conversations.models import IcebergLevel

    register(
        Column(
            "conversations_held",
            "Held",
            BIG_CONVERSATIONS,
            100,
            "Big Conversations held in the period",
            conversations_held,
        )
    )
    for position, (key, (label, sectors)) in enumerate(ROOM_SIDES.items()):
        register(
            Column(
                f"room_{key}",
                f"In the room: {label.lower()}",
                BIG_CONVERSATIONS,
                110 + position,
                f"People who came to a Big Conversation in the period, {label.lower()} "
                f"({', '.join(sectors)})",
                room(sectors),
            )
        )
    for position, level in enumerate(IcebergLevel):
        register(
            Column(
                f"iceberg_{level.value}",
                f"Iceberg: {level.label.lower()}",
                BIG_CONVERSATIONS,
                120 + position,
                f"Iceberg items at the level of {level.label.lower()} from the period's "
                "Big Conversations (merged items counted once)",
                iceberg(level.value),
            )
        )
    register(
        Column(
            "plan_actions",
            "Plan actions",
            BIG_CONVERSATIONS,
            130,
            "Actions in the plans made at the period's Big Conversations",
            plan_actions,
        )
    )
    for position, status in enumerate(Status):
        register(
            Column(
                f"commitments_{status.value}",
                status.label,
                COMMITMENTS,
                200 + position,
                f"Commitments made in the period that are now: {status.label.lower()}",
                commitments_by_status(status.value),
            )
        )
    register(
        Column(
            "commitments_on_time",
            "Kept on time",
            COMMITMENTS,
            210,
            "Commitments made in the period and done by the date they were due",
            commitments_on_time,
        )
    )
    register(
        Column(
            "commitments_overdue",
            "Overdue",
            COMMITMENTS,
            211,
            "Commitments made in the period, still open and past the date they were due",
            commitments_overdue,
        )
    )
    register(
        Column(
            "needs_met",
            "Needs met by a match",
            PRACTICAL_HELP,
            300,
            "Needs now met that a match begun in the period was for",
            needs_met,
        )
    )
    register(
        Column(
            "matches_active",
            "Matches active",
            PRACTICAL_HELP,
            301,
            "Matches active now that began by the end of the period",
            matches_active,
        )
    )
    register(
        Column(
            "hours_given_back",
            "Hours given back",
            PRACTICAL_HELP,
            302,
            "Hours that people living here gave to others through matches in the period",
            hours_given_back,
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
