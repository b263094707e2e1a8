"""Writes for the partnership: partners and members, the poolside charter, cycles and stages."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from hct.core.models import User
from hct.core.roles import Role
from hct.core.services import audit_record, user_create
from hct.partnership import codes
from hct.partnership.models import (
    STAGE_ORDER,
    CharterRevision,
    Cycle,
    CycleStage,
    Invitation,
    Membership,
    Partner,
    Partnership,
    PastMembership,
    Stage,
)
from hct.partnership.selectors import (
    CURRENT_PARTNERSHIP,
    ERROR_NOT_YOUR_PARTNERSHIP,
    may_invite,
    partnerships_for,
)
from hct.places.models import Neighbourhood

ERROR_CHARTER_UNCHANGED = "Nothing has changed since the last revision"
ERROR_STAGE_BEFORE_START = (
    "A stage cannot move on before the date the current stage started ({started})"
)
ERROR_SAME_STAGE = "The cycle is already at this stage"
ERROR_CYCLE_EXISTS = "This partnership already has a cycle in {neighbourhood} that has not finished"
ERROR_PLAN_END_BEFORE_START = "{stage} cannot be planned to end before it starts"
ERROR_PLAN_OUT_OF_ORDER = "{stage} cannot be planned to start before {previous} starts"
ERROR_NOT_MEMBERS = "Only members of the partnership can take part: {names} is not"
ERROR_BACKWARDS_NEEDS_REASON = (
    "Say why the cycle is going back to an earlier stage: the reason is kept in its history"
)


ERROR_SLUG_RESERVED = "Choose another name: “{slug}” is a word the site's addresses use"
ERROR_PARTNER_ELSEWHERE = "The organisation must belong to the same partnership"
ERROR_LAST_LEAD = (
    "{name} is the last person leading this partnership: make someone else a lead first"
)
ERROR_ALREADY_MEMBER = "Someone with this email address is already a member of the partnership"
ERROR_NOT_YOURS_TO_INVITE = "You cannot invite someone as {role}: ask a lead of the partnership"
ERROR_ROLE_NOT_INVITED = "Choose facilitator, partner, board member or community member"
ERROR_INVITATION_USED = "This invitation has already been used. Ask for a new one"
ERROR_INVITATION_EXPIRED = "This invitation ran out on {date}. Ask for a new one"
ERROR_INVITATION_CANCELLED = "This invitation was cancelled. Ask for a new one"
ERROR_INVITATION_UNKNOWN = "We cannot find an invitation with this code. Check it and try again"
ERROR_CANNOT_CANCEL = "Only an invitation that is waiting to be used can be cancelled"
ERROR_DAYS = "An invitation lasts from 1 to 60 days"

# Words the partnership URLs use after /partnership/: a partnership cannot take them as its slug.
RESERVED_SLUGS = frozenset({"new", "cycles", "join", "choose"})
INVITATION_DAYS = 14
# Who may be invited: never a platform administrator (they are made by an operator).
INVITED_ROLES = (Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.COMMUNITY)


@transaction.atomic
def partnership_create(
    *, actor: User, name: str, description: str = "", lead: User | None = None
) -> Partnership:
    """Set up a partnership, with `lead` (if given) as its first lead member: a lead of another
    partnership who sets one up must be able to run it, or only an administrator could."""
    slug = slugify(name)[:200]
    if slug in RESERVED_SLUGS:
        raise ValidationError({"name": ERROR_SLUG_RESERVED.format(slug=slug)})
    partnership = Partnership(name=name, slug=slug, description=description)
    partnership.full_clean()
    partnership.save()
    audit_record(actor=actor, verb="partnership.create", subject=partnership)
    if lead is not None:
        membership_add(actor=actor, partnership=partnership, user=lead, is_lead=True)
    return partnership


@transaction.atomic
def partner_add(
    *, actor: User, partnership: Partnership, name: str, sector: str, description: str = ""
) -> Partner:
    partner = Partner(partnership=partnership, name=name, sector=sector, description=description)
    partner.full_clean()
    partner.save()
    audit_record(
        actor=actor, verb="partner.add", subject=partner, details={"partnership": partnership.pk}
    )
    return partner


@transaction.atomic
def membership_add(
    *,
    actor: User,
    partnership: Partnership,
    user: Any,
    partner: Partner | None = None,
    title: str = "",
    neighbourhoods: list[Neighbourhood] | None = None,
    is_lead: bool = False,
) -> Membership:
    """A user joins a partnership; their neighbourhoods are the scope of what they may see."""
    membership = Membership(
        partnership=partnership,
        user=user,
        partner=partner,
        title=title,
        is_lead=is_lead,
        joined_at=timezone.now(),
    )
    membership.full_clean()
    membership.save()
    if neighbourhoods:
        membership.neighbourhoods.set(neighbourhoods)
    audit_record(
        actor=actor,
        verb="membership.add",
        subject=membership,
        details={
            "partnership": partnership.pk,
            "neighbourhoods": [n.pk for n in neighbourhoods or []],
        },
    )
    return membership


def _check_not_last_lead(membership: Membership, field: str | None) -> None:
    others = Membership.objects.filter(partnership_id=membership.partnership_id, is_lead=True)
    if membership.is_lead and not others.exclude(pk=membership.pk).exists():
        message = ERROR_LAST_LEAD.format(name=membership.user)
        raise ValidationError({field: message} if field else message)


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    partner: Partner | None,
    title: str,
    neighbourhoods: list[Neighbourhood],
    is_lead: bool,
) -> Membership:
    """Change a member's organisation, title, neighbourhoods (their scope: assigning a
    facilitator to a neighbourhood is naming it here) and whether they lead. A partnership that
    has leads always keeps at least one."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not is_lead:
        _check_not_last_lead(membership, "is_lead")
    membership.partner = partner
    membership.title = title
    membership.is_lead = is_lead
    membership.full_clean()
    membership.save(update_fields=["partner", "title", "is_lead"])
    membership.neighbourhoods.set(neighbourhoods)
    audit_record(
        actor=actor,
        verb="membership.update",
        subject=membership,
        details={
            "partner": partner.pk if partner else None,
            "neighbourhoods": sorted(n.pk for n in neighbourhoods),
            "is_lead": is_lead,
        },
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, reason: str = "") -> PastMembership:
    """End a membership at once. The live row goes, so every scope rule (they all join through
    memberships) drops the person from their next request; an account left with no partnership
    is switched off, so its next request is signed out. What they recorded stays, and a
    `PastMembership` keeps the organisation it is attributed to. The last lead cannot go."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    _check_not_last_lead(membership, None)
    user = membership.user
    past = PastMembership(
        user=user,
        partnership_id=membership.partnership_id,
        partner_id=membership.partner_id,
        title=membership.title,
        role=user.role,
        joined_at=membership.joined_at,
        ended_by=actor,
        reason=reason.strip(),
    )
    past.full_clean()
    past.save()
    membership_id = membership.pk
    membership.delete()
    switched_off = user.role != Role.ADMIN and not Membership.objects.filter(user=user).exists()
    if switched_off:
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        verb="membership.end",
        subject_type="partnership.membership",
        subject_id=membership_id,
        details={
            "partnership": past.partnership_id,
            "user": user.pk,
            "past_membership": past.pk,
            "account_switched_off": switched_off,
        },
    )
    return past


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and its two secrets, which exist only here: the database keeps hashes."""

    invitation: Invitation
    token: str
    code: str

    @property
    def code_display(self) -> str:
        return codes.code_display(self.code)


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    partnership: Partnership,
    role: str,
    invitee: str,
    email: str = "",
    partner: Partner | None = None,
    title: str = "",
    is_lead: bool = False,
    neighbourhoods: list[Neighbourhood] | None = None,
    days: int = INVITATION_DAYS,
) -> IssuedInvitation:
    """Invite someone into the partnership with a role, by a one-time link and a short code,
    valid for `days`. Nobody already a member is invited again, and only those who run the
    partnership invite staff."""
    if role not in INVITED_ROLES:
        raise ValidationError({"role": ERROR_ROLE_NOT_INVITED})
    if not may_invite(actor, partnership, role):
        raise ValidationError(
            {"role": ERROR_NOT_YOURS_TO_INVITE.format(role=Role(role).label.lower())}
        )
    if not 1 <= days <= 60:
        raise ValidationError({"days": ERROR_DAYS})
    email = email.strip()
    if (
        email
        and Membership.objects.filter(partnership=partnership, user__email__iexact=email).exists()
    ):
        raise ValidationError({"email": ERROR_ALREADY_MEMBER})
    if partner is not None and partner.partnership_id != partnership.pk:
        raise ValidationError({"partner": ERROR_PARTNER_ELSEWHERE})
    staff = role != Role.COMMUNITY
    token, code = codes.token_new(), codes.code_new()
    while Invitation.objects.filter(code_hash=codes.secret_hash(code)).exists():
        code = codes.code_new()  # one in 10^11 or so; the unique index is the real guard
    invitation = Invitation(
        partnership=partnership,
        role=role,
        partner=partner if staff else None,
        title=title.strip() if staff else "",
        is_lead=is_lead and staff,
        invitee=invitee.strip(),
        email=email,
        token_hash=codes.secret_hash(token),
        code_hash=codes.secret_hash(code),
        invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    invitation.full_clean()
    invitation.save()
    if neighbourhoods and staff:
        invitation.neighbourhoods.set(neighbourhoods)
    audit_record(
        actor=actor,
        verb="invitation.create",
        subject=invitation,
        details={"partnership": partnership.pk, "role": role, "days": days},
    )
    return IssuedInvitation(invitation=invitation, token=token, code=code)


@transaction.atomic
def invitation_cancel(*, actor: User, invitation: Invitation) -> Invitation:
    """Cancel an invitation still waiting to be used: its link and code stop working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status_at(timezone.now()) != Invitation.Status.PENDING:
        raise ValidationError(ERROR_CANNOT_CANCEL)
    invitation.cancelled_at = timezone.now()
    invitation.cancelled_by = actor
    invitation.save(update_fields=["cancelled_at", "cancelled_by"])
    audit_record(actor=actor, verb="invitation.cancel", subject=invitation)
    return invitation


def invitation_check(invitation: Invitation | None, *, field: str = "code") -> Invitation:
    """The invitation if it can still be used; otherwise a ValidationError (on `field`) that
    says why, in words the invitee can act on."""
    if invitation is None:
        raise ValidationError({field: ERROR_INVITATION_UNKNOWN})
    status = invitation.status_at(timezone.now())
    if status == Invitation.Status.JOINED:
        raise ValidationError({field: ERROR_INVITATION_USED})
    if status == Invitation.Status.CANCELLED:
        raise ValidationError({field: ERROR_INVITATION_CANCELLED})
    if status == Invitation.Status.EXPIRED:
        date = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y")
        raise ValidationError({field: ERROR_INVITATION_EXPIRED.format(date=date)})
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    username: str,
    password: str,
    first_name: str = "",
    email: str = "",
) -> User:
    """Use an invitation once: make the invitee's account with the invited role (the password
    validators apply) and, for staff, their membership with the organisation, title and
    neighbourhoods the inviter chose. Two people racing with one code: the row lock lets one
    through and the other finds it used. The actor is the new account itself."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    invitation = invitation_check(locked, field="__all__")
    email = email.strip() or invitation.email
    # Invited twice, or made a member some other way since: one membership per email address.
    if (
        invitation.role != Role.COMMUNITY
        and email
        and Membership.objects.filter(
            partnership=invitation.partnership, user__email__iexact=email
        ).exists()
    ):
        raise ValidationError({"email": ERROR_ALREADY_MEMBER})
    try:
        user = user_create(
            actor=None,
            username=username,
            password=password,
            role=Role(invitation.role),
            first_name=first_name.strip(),
            email=email,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"password": error.messages}) from None
    if invitation.role != Role.COMMUNITY:
        membership_add(
            actor=user,
            partnership=invitation.partnership,
            user=user,
            partner=invitation.partner,
            title=invitation.title,
            neighbourhoods=list(invitation.neighbourhoods.all()),
            is_lead=invitation.is_lead,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        verb="invitation.accept",
        subject=invitation,
        details={"partnership": invitation.partnership_id, "role": invitation.role},
    )
    return user


CHARTER_FIELDS = [name for name, _ in CharterRevision.SECTIONS]


@transaction.atomic
def charter_revise(
    *, actor: User, partnership: Partnership, note: str = "", **sections: str
) -> CharterRevision:
    """Add the next numbered revision; revisions are never edited, so any two can be compared."""
    unknown = set(sections) - set(CHARTER_FIELDS)
    if unknown:
        raise TypeError(f"unknown charter sections: {sorted(unknown)}")
    latest = (
        CharterRevision.objects.select_for_update()
        .filter(partnership=partnership)
        .order_by("-number")
        .first()
    )
    values = {name: (sections.get(name) or "").strip() for name in CHARTER_FIELDS}
    if latest and all(getattr(latest, name) == values[name] for name in CHARTER_FIELDS):
        raise ValidationError(ERROR_CHARTER_UNCHANGED)
    revision = CharterRevision(
        partnership=partnership,
        number=(latest.number + 1) if latest else 1,
        author=actor,
        note=note.strip(),
        **values,
    )
    revision.full_clean()
    revision.save()
    audit_record(
        actor=actor, verb="charter.revise", subject=revision, details={"number": revision.number}
    )
    return revision


@dataclass(frozen=True)
class StagePlan:
    """When a stage is planned to start and end (either may be left open)."""

    start: dt.date | None = None
    end: dt.date | None = None


def _plan_errors(plan: dict[str, StagePlan]) -> dict[str, str]:
    """Each stage ends on or after it starts, and starts no earlier than the stage before it."""
    errors: dict[str, str] = {}
    previous: tuple[str, dt.date] | None = None
    for stage in STAGE_ORDER:
        planned = plan.get(stage, StagePlan())
        if planned.start and planned.end and planned.end < planned.start:
            errors[f"{stage.value}_end"] = ERROR_PLAN_END_BEFORE_START.format(stage=stage.label)
        if planned.start and previous and planned.start < previous[1]:
            errors[f"{stage.value}_start"] = ERROR_PLAN_OUT_OF_ORDER.format(
                stage=stage.label, previous=previous[0]
            )
        if planned.start:
            previous = (stage.label, planned.start)
    return errors


@transaction.atomic
def cycle_start(
    *,
    actor: User,
    partnership: Partnership,
    neighbourhood: Neighbourhood,
    started_on: dt.date | None = None,
    note: str = "",
    plan: dict[str, StagePlan] | None = None,
    participants: list[User] | None = None,
) -> Cycle:
    """Start a cycle of the method in a neighbourhood, at the poolside stage, with the dates
    planned for each stage and the staff who will take part. Taking part brings the
    neighbourhood into each participant's scope, so the new cycle is at once theirs to work on
    wherever a cycle is chosen (conversations, commitments, field notes, learning)."""
    plan = {Stage(stage): dates for stage, dates in (plan or {}).items()}
    participants = list(participants or [])
    unfinished = Cycle.objects.filter(partnership=partnership, neighbourhood=neighbourhood).exclude(
        current_stage=Stage.ACT_AND_REVIEW
    )
    if unfinished.exists():
        raise ValidationError(
            {"neighbourhood": ERROR_CYCLE_EXISTS.format(neighbourhood=neighbourhood)}
        )
    errors = _plan_errors(plan)
    if errors:
        raise ValidationError(errors)
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(partnership=partnership, user__in=participants)
    }
    outsiders = [user for user in participants if user.pk not in memberships]
    if outsiders:
        raise ValidationError(
            {"participants": ERROR_NOT_MEMBERS.format(names=", ".join(map(str, outsiders)))}
        )
    number = (
        Cycle.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    cycle = Cycle(partnership=partnership, neighbourhood=neighbourhood, number=number, note=note)
    cycle.full_clean()
    cycle.save()
    CycleStage.objects.bulk_create(
        [
            CycleStage(
                cycle=cycle,
                stage=stage,
                started_on=started_on if stage == Stage.POOLSIDE else None,
                planned_start=plan.get(stage, StagePlan()).start,
                planned_end=plan.get(stage, StagePlan()).end,
            )
            for stage in STAGE_ORDER
        ]
    )
    cycle.participants.set(participants)
    for membership in memberships.values():
        membership.neighbourhoods.add(neighbourhood)
    audit_record(
        actor=actor,
        verb="cycle.start",
        subject=cycle,
        details={
            "neighbourhood": neighbourhood.pk,
            "participants": sorted(user.pk for user in participants),
        },
    )
    return cycle


@transaction.atomic
def cycle_advance(*, actor: User, cycle: Cycle, stage: str, on: dt.date, reason: str = "") -> Cycle:
    """Move a cycle to another stage on a date: the current stage ends that day, the new one
    starts. A stage cannot end before it started, and going back to an earlier stage needs a
    reason, kept on the stage returned to."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    stage = Stage(stage)
    if stage == cycle.current_stage:
        raise ValidationError({"stage": ERROR_SAME_STAGE})
    backwards = STAGE_ORDER.index(stage) < cycle.stage_index
    if backwards and not reason.strip():
        raise ValidationError({"reason": ERROR_BACKWARDS_NEEDS_REASON})
    stages = {s.stage: s for s in cycle.stages.all()}
    current = stages[cycle.current_stage]
    if current.started_on and on < current.started_on:
        raise ValidationError({"on": ERROR_STAGE_BEFORE_START.format(started=current.started_on)})
    current.ended_on = on
    current.full_clean()
    current.save(update_fields=["ended_on"])
    target = stages[stage]
    target.started_on = on
    target.ended_on = None
    if backwards:
        target.returned_because = reason.strip()
    target.full_clean()
    target.save(update_fields=["started_on", "ended_on", "returned_because"])
    previous = cycle.current_stage
    cycle.current_stage = stage
    cycle.save(update_fields=["current_stage"])
    audit_record(
        actor=actor,
        verb="cycle.advance",
        subject=cycle,
        details={"from": previous, "to": stage, "backwards": backwards},
    )
    return cycle


@transaction.atomic
def current_partnership_choose(
    *, acting_user: User, session: Any, partnership: Partnership
) -> None:
    """Work in `partnership` from now on in this session (a member of several chooses which
    one their pages show, and which one what they record belongs to). Only a partnership the
    user is a member of (any, for an administrator) can be chosen."""
    if not partnerships_for(acting_user).filter(pk=partnership.pk).exists():
        raise ValidationError({"partnership": ERROR_NOT_YOUR_PARTNERSHIP})
    session[CURRENT_PARTNERSHIP] = partnership.pk
    audit_record(
        actor=acting_user,
        verb="partnership.choose",
        subject=partnership,
        details={"partnership": partnership.slug},
    )
