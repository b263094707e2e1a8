"""Reads for the partnership, and the scope rules other apps use: which partnerships and
neighbourhoods a user may see."""

import difflib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hct.core.roles import Role
from hct.partnership.models import CharterRevision, Cycle, CycleStage, Membership, Partnership
from hct.places.models import Neighbourhood


def partnerships_for(user) -> QuerySet[Partnership]:
    """Admins see every partnership; everyone else the ones they are members of."""
    if getattr(user, "role", None) == Role.ADMIN:
        return Partnership.objects.all()
    return Partnership.objects.filter(memberships__user=user).distinct()


def is_member(user, partnership: Partnership) -> bool:
    return Membership.objects.filter(user=user, partnership=partnership).exists()


def neighbourhoods_in_scope(user) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose people and work a user may see.

    Facilitators and partners: the neighbourhoods named in their memberships. Board members:
    every neighbourhood where their partnerships run a cycle. Admins: all.
    """
    role = getattr(user, "role", None)
    if role == Role.ADMIN:
        return Neighbourhood.objects.all()
    if role == Role.BOARD:
        return Neighbourhood.objects.filter(cycles__partnership__memberships__user=user).distinct()
    if role in (Role.FACILITATOR, Role.PARTNER):
        return Neighbourhood.objects.filter(memberships__user=user).distinct()
    return Neighbourhood.objects.none()


def cycles_visible(user) -> QuerySet[Cycle]:
    """The cycles a user may see, for every app that lists or opens cycles: admins all; board
    members every cycle of their partnerships; facilitators and partners the cycles of their
    partnerships in neighbourhoods in their scope; nobody else any. A plain queryset (no joins
    that repeat rows), so callers may annotate, order and select as they need."""
    role = getattr(user, "role", None)
    if role == Role.ADMIN:
        return Cycle.objects.all()
    if role not in (Role.BOARD, Role.FACILITATOR, Role.PARTNER):
        return Cycle.objects.none()
    cycles = Cycle.objects.filter(
        partnership__in=Membership.objects.filter(user=user).values("partnership")
    )
    if role == Role.BOARD:
        return cycles
    return cycles.filter(neighbourhood__in=neighbourhoods_in_scope(user).values("pk"))


def partnership_detail(partnership: Partnership) -> dict:
    members = (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "partner")
        .order_by("partner__name", "user__username")
    )
    return {
        "partners": list(partnership.partners.all()),
        "members": list(members),
        "charter": charter_latest(partnership),
        "cycles": cycles_at_a_glance(partnership),
    }


def cycles_at_a_glance(partnership: Partnership) -> list[Cycle]:
    return list(
        Cycle.objects.filter(partnership=partnership)
        .select_related("neighbourhood")
        .prefetch_related(Prefetch("stages", queryset=CycleStage.objects.order_by("id")))
        .order_by("number")
    )


def cycle_get(partnership: Partnership, number: int) -> Cycle:
    return (
        Cycle.objects.select_related("neighbourhood", "partnership")
        .prefetch_related(Prefetch("stages", queryset=CycleStage.objects.order_by("id")))
        .get(partnership=partnership, number=number)
    )


def charter_latest(partnership: Partnership) -> CharterRevision | None:
    return (
        CharterRevision.objects.filter(partnership=partnership)
        .select_related("author")
        .order_by("-number")
        .first()
    )


def charter_revisions(partnership: Partnership) -> QuerySet[CharterRevision]:
    return (
        CharterRevision.objects.filter(partnership=partnership)
        .select_related("author")
        .order_by("-number")
    )


@dataclass
class SectionDiff:
    label: str
    changed: bool
    html: SafeString  # the later text with insertions and deletions marked


def _word_diff(before: str, after: str) -> SafeString:
    a, b = before.split(), after.split()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    # Every piece of text is escaped above; only our own <ins>/<del> tags are markup.
    return mark_safe(" ".join(parts))  # noqa: S308


def charter_compare(earlier: CharterRevision, later: CharterRevision) -> list[SectionDiff]:
    return [
        SectionDiff(
            label=label,
            changed=getattr(earlier, name) != getattr(later, name),
            html=_word_diff(getattr(earlier, name), getattr(later, name)),
        )
        for name, label in CharterRevision.SECTIONS
    ]


def cycle_start_choices(partnership: Partnership) -> dict:
    """What a new cycle can be started with: every neighbourhood, and the partnership's
    facilitators and partner members who can take part."""
    members = (
        get_user_model()
        .objects.filter(
            memberships__partnership=partnership, role__in=[Role.FACILITATOR, Role.PARTNER]
        )
        .order_by("role", "first_name", "username")
    )
    return {"neighbourhoods": Neighbourhood.objects.order_by("name"), "members": members}
