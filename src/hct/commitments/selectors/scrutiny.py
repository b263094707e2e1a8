"""Reads for community scrutiny: questions and answers, what people said of each update (only
as published counts in public), and the moderation queue."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from hct.commitments.models import Answer, Commitment, Flag, PublicComment, Update
from hct.commitments.selectors.base import Event, commitments_visible
from hct.commitments.selectors.history import history
from hct.core.disclosure import Published, publish_series


def questions(commitment: Commitment) -> list[PublicComment]:
    """Every question on the commitment, oldest first, with its answers (hidden ones too: the
    page shows that a question was hidden, never its text)."""
    return list(
        commitment.public_comments.filter(kind=PublicComment.Kind.QUESTION)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("created_at", "id")))
        .order_by("created_at", "id")
    )


def feedback_counts(commitment: Commitment) -> dict[int, list[tuple[str, Published]]]:
    """For each update, how many people said it was, partly was, or was not what they asked for,
    published through disclosure control (these are counts of people)."""
    rows = (
        commitment.public_comments.filter(kind=PublicComment.Kind.FEEDBACK, hidden=False)
        .order_by()
        .values("update_id", "verdict")
        .annotate(n=Count("id"))
    )
    raw: dict[int, dict[str, int]] = {}
    for row in rows:
        raw.setdefault(row["update_id"], dict.fromkeys(PublicComment.Verdict.values, 0))
        raw[row["update_id"]][row["verdict"]] = row["n"]
    labels = dict(PublicComment.Verdict.choices)
    published = {}
    for update_id, counts in raw.items():
        cells, _total = publish_series({labels[v]: n for v, n in counts.items()})
        published[update_id] = list(cells.items())
    return published


def feedback_for_owner(commitment: Commitment) -> list[PublicComment]:
    """What community members said of each update, for the partnership's own page."""
    return list(
        commitment.public_comments.filter(kind=PublicComment.Kind.FEEDBACK)
        .select_related("update")
        .order_by("-created_at", "-id")
    )


def history_with_feedback(commitment: Commitment, *, public: bool) -> list[Event]:
    events = history(commitment, public=public)
    counts = feedback_counts(commitment)
    for event in events:
        if event.update_id in counts:
            event.feedback = counts[event.update_id]
    return events


def moderation_queue(user: Any) -> QuerySet[PublicComment]:
    """Contributions a facilitator moderates: those on commitments in their neighbourhoods, the
    ones reported and not yet dealt with first."""
    contributions = PublicComment.objects.filter(
        commitment__in=commitments_visible(user)
    ).select_related("commitment", "hidden_by")
    open_flags = Flag.objects.filter(contribution=OuterRef("pk"), dealt_with=False)
    return contributions.annotate(
        open_flags=Coalesce(
            Subquery(
                open_flags.order_by().values("contribution").annotate(n=Count("id")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
    ).order_by("-open_flags", "-created_at", "-id")


def update_get(pk: int) -> Update | None:
    """An update, with the commitment and owner its feedback page names."""
    return Update.objects.select_related("commitment__owner").filter(pk=pk).first()


def feedback_by(update: Update, user: Any) -> PublicComment | None:
    """What this user already said about an update, if anything."""
    return PublicComment.objects.filter(
        kind=PublicComment.Kind.FEEDBACK, update=update, author=user
    ).first()


def question_get(pk: int) -> PublicComment | None:
    return (
        PublicComment.objects.select_related("commitment__owner")
        .filter(pk=pk, kind=PublicComment.Kind.QUESTION)
        .first()
    )


def contribution_get(pk: int) -> PublicComment | None:
    return PublicComment.objects.select_related("commitment").filter(pk=pk).first()
