"""Reads about imports: a user's uploads and their reports."""

from django.db.models import QuerySet

from hct.directory.models import (
    ImportRun,
)

# -- imports --------------------------------------------------------------------------------------


def import_runs_for(user) -> QuerySet[ImportRun]:
    """A user's own uploads; an administrator sees everyone's."""
    runs = ImportRun.objects.select_related("created_by").defer("content")
    if getattr(user, "role", None) != "admin":
        runs = runs.filter(created_by=user)
    return runs.order_by("-created_at", "-id")


def import_run_get(pk: int) -> ImportRun | None:
    return ImportRun.objects.select_related("created_by").defer("content").filter(pk=pk).first()


def lsoas_in(neighbourhoods) -> QuerySet:
    """The LSOAs of some neighbourhoods, by ward, for a list to choose from."""
    from hct.places.models import Lsoa

    return (
        Lsoa.objects.filter(neighbourhoods__in=neighbourhoods)
        .select_related("ward")
        .distinct()
        .order_by("ward__name", "name")
    )


def import_counts(summary: dict) -> list[dict]:
    """An import's counts as one row per kind of record, in the order they are written."""
    from hct.directory.importer.kinds import write_order

    columns = ("created", "updated", "unchanged", "removed")
    rows = []
    for kind in write_order():
        row = {c: (summary.get(c) or {}).get(kind.name, 0) for c in columns}
        if any(row.values()):
            rows.append({"kind": kind.name, **row})
    return rows
