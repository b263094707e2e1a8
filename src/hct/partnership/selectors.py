"""Reads for the partnership, and the scope rules other apps use: which partnerships and
neighbourhoods a user may see."""

import difflib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hct.core.roles import Role
from hct.partnership import codes
from hct.partnership.models import (
    CharterRevision,
    Cycle,
    CycleStage,
    Invitation,
    Membership,
    Partner,
    Partnership,
    PastMembership,
)
from hct.places.models import Neighbourhood


def partnerships_for(user) -> QuerySet[Partnership]:
    """Admins see every partnership; everyone else the ones they are members of."""
    if getattr(user, "role", None) == Role.ADMIN:
        return Partnership.objects.all()
    return Partnership.objects.filter(memberships__user=user).distinct()


def is_member(user, partnership: Partnership) -> bool:
    return Membership.objects.filter(user=user, partnership=partnership).exists()


# Which partnership a record belongs to (issue 14 item 5). Two partnerships may work in the same
# ward, so a record's owner is never read from geography: the roots of the data (a person, an
# actor placed on a map) carry the partnership they were recorded for, and everything hanging
# from them (stories, journeys, needs, matches …) follows its root.

CURRENT_PARTNERSHIP = "hct.partnership"  # session key: the partnership a member works in now
ERROR_CHOOSE_PARTNERSHIP = "Choose which partnership this is for"
ERROR_NOT_YOUR_PARTNERSHIP = "You are not a member of this partnership"


def in_own_scope(user: Any, *, partnership: str = "partnership", lsoa: str = "home_lsoa") -> Q:
    """Records (filtered with this) whose partnership is one of the user's memberships and whose
    LSOA lies in that same membership's neighbourhoods: being in a ward for partnership A never
    shows what partnership B holds there. `partnership` and `lsoa` name the record's fields."""
    return Q(
        Exists(
            Membership.objects.filter(
                user_id=_pk_of(user),
                partnership_id=OuterRef(partnership),
                neighbourhoods__lsoas=OuterRef(lsoa),
            )
        )
    )


def of_own_partnerships(user: Any, *, partnership: str = "partnership") -> Q:
    """Records of any partnership the user is a member of (no geography)."""
    return Q(
        Exists(
            Membership.objects.filter(user_id=_pk_of(user), partnership_id=OuterRef(partnership))
        )
    )


def current_partnership(request: Any) -> Partnership | None:
    """The partnership the signed-in member works in now: the one chosen in this session, else
    their only (or first-joined) membership's. Administrators have none unless they chose one."""
    user = request.user
    chosen = request.session.get(CURRENT_PARTNERSHIP) if hasattr(request, "session") else None
    if chosen is not None:
        found = partnerships_for(user).filter(pk=chosen).first()
        if found is not None:
            return found
    if getattr(user, "role", None) == Role.ADMIN:
        return None
    first = Membership.objects.filter(user_id=_pk_of(user)).select_related("partnership")
    membership = first.order_by("pk").first()
    return membership.partnership if membership else None


def _choosable(user: Any) -> list[Partnership]:
    """A user's partnerships in the order they joined them (every one, by name, for an
    administrator), in one query."""
    if getattr(user, "role", None) == Role.ADMIN:
        return list(Partnership.objects.order_by("name", "pk").only("pk", "name", "slug"))
    memberships = Membership.objects.filter(user_id=_pk_of(user)).select_related("partnership")
    return [m.partnership for m in memberships.order_by("pk")]


@dataclass
class PartnershipChoice:
    """What the header's 'Working in' control shows a member of more than one partnership."""

    current: Partnership | None
    partnerships: list[Partnership]


def partnership_choice(request: Any) -> PartnershipChoice | None:
    """The partnerships a signed-in user may choose between, and the one chosen now (as
    `current_partnership` finds it, in the same one query); None for someone with one or none,
    who has nothing to choose."""
    user = request.user
    mine = _choosable(user)
    if len(mine) < 2:
        return None
    chosen = request.session.get(CURRENT_PARTNERSHIP) if hasattr(request, "session") else None
    current = next((p for p in mine if p.pk == chosen), None)
    if current is None and getattr(user, "role", None) != Role.ADMIN:
        current = mine[0]
    return PartnershipChoice(current=current, partnerships=mine)


def partnership_for_record(actor: Any, partnership: Partnership | None = None) -> Partnership:
    """The partnership a new record belongs to: the one given (the actor must be a member, or
    an administrator), else the actor's only partnership, else the deployment's only one (an
    import or a generator run by an operator)."""
    if partnership is not None:
        operator = getattr(actor, "role", None) == Role.ADMIN or not getattr(actor, "pk", None)
        if not operator and not is_member(actor, partnership):
            raise ValidationError(ERROR_NOT_YOUR_PARTNERSHIP)
        return partnership
    mine = list(Partnership.objects.filter(memberships__user_id=_pk_of(actor))[:2])
    if len(mine) == 1:
        return mine[0]
    if not mine:
        only = list(Partnership.objects.all()[:2])
        if len(only) == 1:
            return only[0]
    raise ValidationError(ERROR_CHOOSE_PARTNERSHIP)


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


# Who runs a partnership, and what a member may see of its people (issue 14, item 4).


def may_manage(user: Any, partnership: Partnership) -> bool:
    """Platform administrators, and the partnership's own leads, run a partnership."""
    if getattr(user, "role", None) == Role.ADMIN:
        return True
    return Membership.objects.filter(user=user, partnership=partnership, is_lead=True).exists()


def may_set_up_partnerships(user: Any) -> bool:
    """Platform administrators, and anyone who leads a partnership, set up another one."""
    if getattr(user, "role", None) == Role.ADMIN:
        return True
    return Membership.objects.filter(user=user, is_lead=True).exists()


def may_invite(user: Any, partnership: Partnership, role: str) -> bool:
    """Those who run the partnership invite anyone; its facilitators invite community members
    (issue 13: a facilitator invites the people they work with)."""
    if may_manage(user, partnership):
        return True
    return (
        role == Role.COMMUNITY
        and getattr(user, "role", None) == Role.FACILITATOR
        and Membership.objects.filter(user=user, partnership=partnership).exists()
    )


def members_page(partnership: Partnership) -> dict:
    """The partnership's members with their organisations and neighbourhoods, and those whose
    membership has ended (what they recorded stays attributed to the organisation here)."""
    members = (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "partner")
        .prefetch_related(
            Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
        )
        .order_by("partner__name", "user__first_name", "user__username")
    )
    past = (
        PastMembership.objects.filter(partnership=partnership)
        .select_related("user", "partner", "ended_by")
        .order_by("-ended_at")
    )
    return {"members": list(members), "past_members": list(past)}


def membership_get(partnership: Partnership, pk: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "partner", "partnership")
        .prefetch_related("neighbourhoods")
        .filter(partnership=partnership, pk=pk)
        .first()
    )


def organisation_of(user, partnership: Partnership) -> Partner | None:
    """The organisation a user's work in the partnership is attributed to: their membership's,
    or, once it has ended, the one they were with when it ended."""
    membership = (
        Membership.objects.filter(user=user, partnership=partnership)
        .select_related("partner")
        .first()
    )
    if membership is not None:
        return membership.partner
    past = (
        PastMembership.objects.filter(user=user, partnership=partnership)
        .select_related("partner")
        .order_by("-ended_at")
        .first()
    )
    return past.partner if past else None


def invitations_page(partnership: Partnership, *, role: str | None = None) -> list[Invitation]:
    """The partnership's invitations, newest first, each with its status now (`status`), and
    who joined with it. `role` narrows to one role (a facilitator sees community invitations)."""
    invitations = Invitation.objects.filter(partnership=partnership).select_related(
        "partner", "invited_by", "accepted_by"
    )
    if role:
        invitations = invitations.filter(role=role)
    now = timezone.now()
    found = list(invitations.order_by("-created_at", "-id"))
    for invitation in found:
        invitation.status = invitation.status_at(now)  # type: ignore[attr-defined]
    return found


def invitation_get(partnership: Partnership, pk: int) -> Invitation | None:
    return (
        Invitation.objects.select_related("partner", "invited_by", "accepted_by", "partnership")
        .filter(partnership=partnership, pk=pk)
        .first()
    )


def invitation_for_secret(secret: str) -> Invitation | None:
    """The invitation whose link token or code is `secret` (already parsed), whatever its
    status: the caller says why one that is used or out of date cannot be used."""
    digest = codes.secret_hash(secret)
    return (
        Invitation.objects.select_related("partnership", "partner")
        .filter(Q(token_hash=digest) | Q(code_hash=digest))
        .first()
    )


def _pk_of(user: Any) -> int:
    """A signed-in user's id; 0 (no row has it) for someone not signed in."""
    return getattr(user, "pk", None) or 0
