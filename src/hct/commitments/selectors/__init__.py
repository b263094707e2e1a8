"""Reads for commitments: the partnership's own lists, the public accountability pages, the
history of each commitment, the feed and the open data.

Public reads never touch people or stories: a commitment names an organisation and a role, and
its history is its own milestones and updates. Every count a public page shows goes through
`hct.core.disclosure`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from hct.commitments.models import (
    OPEN_STATUSES,
    Commitment,
    Status,
)
from hct.commitments.selectors.base import (
    Event,
    commitments_visible,
    today,
    update_event,
    with_milestone_figures,
)
from hct.commitments.selectors.history import history
from hct.partnership.models import Partner
from hct.places.models import Neighbourhood

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# The partnership's own view


def commitment_list(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return with_milestone_figures(
        commitments.select_related("owner", "neighbourhood", "parent")
    ).order_by("due_on", "id")


def commitment_find(pk: int) -> Commitment | None:
    return Commitment.objects.select_related("owner").filter(pk=pk).first()


def commitment_get(pk: int) -> Commitment:
    return Commitment.objects.select_related(
        "owner", "neighbourhood", "partnership", "parent", "in_reply_to__campaign"
    ).get(pk=pk)


def commitment_parts(commitment: Commitment) -> list[Commitment]:
    return list(
        with_milestone_figures(
            commitment.children.select_related("owner", "neighbourhood")
        ).order_by("due_on", "id")
    )


def parent_choices(commitment: Commitment | None, partnership_ids) -> QuerySet[Commitment]:
    """Commitments a commitment could sit under (the service refuses loops)."""
    choices = Commitment.objects.filter(partnership_id__in=partnership_ids).order_by("title")
    if commitment is not None and commitment.pk:
        choices = choices.exclude(pk=commitment.pk)
    return choices


# History: one timeline per commitment (`history`, from selectors.history)


# ---------------------------------------------------------------------------------------------
# Kept on time, overdue, progress: the accountability figures


def share(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to take a share of."""
    return round(100 * part / whole) if whole else None


# Commitment figures count promises made by organisations, never people, and every promise they
# count is listed on the same page: hiding small counts (hct.core.disclosure) would hide nothing
# and leave an organisation's record of keeping its word unreadable, so they are shown exactly.
# Counts of people on these pages (supporters, what people said of an update) still go through
# disclosure control.


@dataclass
class OrganisationRecord:
    partner_id: int
    name: str
    commitments: int
    come_due: int
    kept: int
    overdue: int
    kept_share: int | None


def _record_counts(today_: dt.date) -> dict:
    """Counts, per group, of the figures an organisation is held to.

    A commitment has come due when its due day has passed or it is finished (done or dropped);
    it was kept on time when done on or before its due day. A dropped promise counts as not kept.
    """
    return {
        "total": Count("id"),
        "come_due": Count(
            "id", filter=Q(due_on__lt=today_) | Q(status__in=[Status.DONE, Status.DROPPED])
        ),
        "kept": Count("id", filter=Q(status=Status.DONE, done_on__lte=F("due_on"))),
        "overdue": Count("id", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today_)),
    }


def record(commitments: QuerySet[Commitment], today_: dt.date) -> dict[str, int]:
    """The raw counts behind the published figures (for tests and the figures' own checks)."""
    return commitments.order_by().aggregate(**_record_counts(today_))


def organisation_records(commitments: QuerySet[Commitment], today_: dt.date) -> list:
    """Each owning organisation's record: commitments, come due, kept on time and the share kept."""
    rows: Iterable[dict[str, Any]] = cast(
        Iterable[dict[str, Any]],
        commitments.order_by()
        .values("owner_id", "owner__name")
        .annotate(**_record_counts(today_))
        .order_by("owner__name"),
    )
    return [
        OrganisationRecord(
            partner_id=row["owner_id"],
            name=row["owner__name"],
            commitments=row["total"],
            come_due=row["come_due"],
            kept=row["kept"],
            overdue=row["overdue"],
            kept_share=share(row["kept"], row["come_due"]),
        )
        for row in rows
    ]


@dataclass
class Summary:
    commitments: int
    by_status: list[tuple[str, int]]
    overdue: int
    kept_share: int | None
    mean_progress: int | None  # a stated figure, not a count of anyone


def summary(commitments: QuerySet[Commitment], today_: dt.date) -> Summary:
    """Counts by status, what is overdue, the share kept on time, and the mean progress of the promises not dropped."""
    figures = commitments.order_by().aggregate(
        **_record_counts(today_),
        mean_progress=Avg("progress", filter=~Q(status=Status.DROPPED)),
        **{f"status_{s.value}": Count("id", filter=Q(status=s)) for s in Status},
    )
    by_status = [(s.label, figures[f"status_{s.value}"]) for s in Status]
    mean = figures["mean_progress"]
    return Summary(
        commitments=figures["total"],
        by_status=by_status,
        overdue=figures["overdue"],
        kept_share=share(figures["kept"], figures["come_due"]),
        mean_progress=round(mean) if mean is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# Public pages


SHOW_CHOICES = {
    "all": ("All", Q()),
    "overdue": ("Overdue", Q(status__in=OPEN_STATUSES)),  # and due before today: see _shown
    "open": ("Still to do", Q(status__in=OPEN_STATUSES)),
    "done": ("Done", Q(status=Status.DONE)),
    "dropped": ("Dropped", Q(status=Status.DROPPED)),
}


def _shown(commitments: QuerySet[Commitment], show: str, today_: dt.date) -> QuerySet:
    _label, condition = SHOW_CHOICES.get(show, SHOW_CHOICES["all"])
    commitments = commitments.filter(condition)
    if show == "overdue":
        commitments = commitments.filter(due_on__lt=today_)
    return commitments


def _public_page(commitments: QuerySet[Commitment], page_number, show: str, today_) -> Page:
    """One page of top-level commitments, each with its parts, in a fixed number of queries."""
    listed = with_milestone_figures(
        _shown(commitments.filter(parent__isnull=True), show, today_).select_related(
            "owner", "neighbourhood"
        )
    ).order_by("due_on", "id")
    parts = Commitment.objects.select_related("owner").order_by("due_on", "id")
    page = Paginator(listed, PAGE_SIZE).get_page(page_number)
    # Prefetch on the page's own objects: one query for all their parts.
    from django.db.models import prefetch_related_objects

    page.object_list = list(page.object_list)
    prefetch_related_objects(page.object_list, Prefetch("children", queryset=parts))
    return page


@dataclass
class PublicPage:
    summary: Summary
    organisations: list[OrganisationRecord]
    page: Page
    show: str
    today: dt.date
    extra: dict = field(default_factory=dict)


def public_neighbourhood(
    neighbourhood: Neighbourhood, *, page_number=1, show: str = "all", today_=None
) -> PublicPage:
    today_ = today_ or today()
    commitments = Commitment.objects.filter(neighbourhood=neighbourhood)
    return PublicPage(
        summary=summary(commitments, today_),
        organisations=organisation_records(commitments, today_),
        page=_public_page(commitments, page_number, show, today_),
        show=show if show in SHOW_CHOICES else "all",
        today=today_,
    )


def public_organisation(
    partner: Partner, *, page_number=1, show: str = "all", today_=None
) -> PublicPage:
    today_ = today_ or today()
    commitments = Commitment.objects.filter(owner=partner)
    neighbourhoods = _neighbourhood_records(commitments, today_)
    return PublicPage(
        summary=summary(commitments, today_),
        organisations=[],
        page=_public_page(commitments, page_number, show, today_),
        show=show if show in SHOW_CHOICES else "all",
        today=today_,
        extra={"neighbourhoods": neighbourhoods},
    )


def _neighbourhood_records(commitments: QuerySet[Commitment], today_: dt.date) -> list[dict]:
    """Progress neighbourhood by neighbourhood: what users of Decidim and CONSUL ask for most."""
    rows: Iterable[dict[str, Any]] = cast(
        Iterable[dict[str, Any]],
        commitments.order_by()
        .values("neighbourhood__name", "neighbourhood__slug")
        .annotate(
            **_record_counts(today_),
            mean_progress=Avg("progress", filter=~Q(status=Status.DROPPED)),
        )
        .order_by("neighbourhood__name"),
    )
    return [
        {
            "name": row["neighbourhood__name"],
            "slug": row["neighbourhood__slug"],
            "commitments": row["total"],
            "overdue": row["overdue"],
            "kept_share": share(row["kept"], row["come_due"]),
            "mean_progress": None if row["mean_progress"] is None else round(row["mean_progress"]),
        }
        for row in rows
    ]


def public_index(today_=None) -> dict:
    """Where commitments have been made, with each neighbourhood's progress, and every owning
    organisation's record."""
    today_ = today_ or today()
    neighbourhoods = _neighbourhood_records(Commitment.objects.all(), today_)
    return {
        "neighbourhoods": neighbourhoods,
        "organisations": organisation_records(Commitment.objects.all(), today_),
        "today": today_,
    }


def public_version(commitments: QuerySet[Commitment]) -> str:
    """Changes whenever a public page made from `commitments` could: every write to a commitment,
    its milestones, its updates or its parts touches its `updated_at` (services._touch), and
    commitments are never deleted. The day is in it too: overdue turns at midnight."""
    latest = commitments.order_by().aggregate(latest=Max("updated_at"))["latest"]
    return f"{today().isoformat()}:{latest.timestamp() if latest else 0}"


def public_neighbourhoods() -> QuerySet[Neighbourhood]:
    """Neighbourhoods with a public page: those where a commitment has been made."""
    return Neighbourhood.objects.filter(
        Exists(Commitment.objects.filter(neighbourhood=OuterRef("pk")))
    )


def public_organisations() -> QuerySet[Partner]:
    return Partner.objects.filter(Exists(Commitment.objects.filter(owner=OuterRef("pk"))))


def public_commitment(pk: int) -> Commitment:
    return Commitment.objects.select_related(
        "owner", "neighbourhood", "parent", "in_reply_to__campaign"
    ).get(pk=pk)


def public_neighbourhood_get(slug: str) -> Neighbourhood | None:
    return public_neighbourhoods().filter(slug=slug).first()


def public_organisation_get(pk: int) -> Partner | None:
    return public_organisations().filter(pk=pk).first()


def commitments_made_in(neighbourhood: Neighbourhood) -> QuerySet[Commitment]:
    return Commitment.objects.filter(neighbourhood=neighbourhood)


def commitments_owned_by(partner: Partner) -> QuerySet[Commitment]:
    return Commitment.objects.filter(owner=partner)


# The feed, the open data and community scrutiny live in modules of their own; callers find
# them here, as one set of reads.
from hct.commitments.selectors.campaigns import (  # noqa: E402
    CampaignPage,
    campaign_get,
    campaign_page,
    campaign_recordable_by,
    campaign_supported_by,
    campaigns_public,
)
from hct.commitments.selectors.open_data import (  # noqa: E402
    OPEN_DATA_FIELDS,
    FeedItem,
    feed_items,
    open_data_rows,
)
from hct.commitments.selectors.scrutiny import (  # noqa: E402
    contribution_get,
    feedback_by,
    feedback_counts,
    feedback_for_owner,
    history_with_feedback,
    moderation_queue,
    question_get,
    questions,
    update_get,
)

__all__ = [
    "OPEN_DATA_FIELDS",
    "CampaignPage",
    "Event",
    "FeedItem",
    "campaign_get",
    "campaign_page",
    "campaign_recordable_by",
    "campaign_supported_by",
    "campaigns_public",
    "commitments_visible",
    "contribution_get",
    "feed_items",
    "feedback_by",
    "feedback_counts",
    "feedback_for_owner",
    "history",
    "history_with_feedback",
    "moderation_queue",
    "open_data_rows",
    "question_get",
    "questions",
    "today",
    "update_event",
    "update_get",
    "with_milestone_figures",
]
