"""Writes for people: records, identity, consent, needs and strengths, erasure.

Audit details hold ids and counts only; never an alias, a name or anything a person said.
"""

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hct.core.models import User
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.models import Invitation, Membership, Partnership
from hct.partnership.selectors import partnership_for_record, partnerships_for
from hct.partnership.services import IssuedInvitation, invitation_accept, invitation_create
from hct.people import identity as identity_crypto
from hct.people.models import (
    Consent,
    Erasure,
    Identity,
    Need,
    Person,
    PersonInvitation,
    Purpose,
    Strength,
)
from hct.people.registry import registered
from hct.people.selectors import require_named_facilitator
from hct.places.models import Lsoa

ERROR_CONSENT_ALREADY_GIVEN = (
    "This consent is already recorded; withdraw it first to record it again"
)
ERROR_NO_CURRENT_CONSENT = "There is no current consent for this purpose to withdraw"
ERROR_GIVEN_IN_FUTURE = "Consent cannot be recorded as given on a day that has not come yet"
ERROR_WITHDRAWN_IN_FUTURE = "Consent cannot be withdrawn on a day that has not come yet"
ERROR_WITHDRAWN_TOO_EARLY = "Consent cannot be withdrawn before the day it was given ({day})"
ERROR_CONSENT_HOW = "Choose how they gave their consent"
ERROR_NOT_A_FACILITATOR = "Only facilitators can be named as someone's facilitator"
ERROR_NEEDS_A_FACILITATOR = "Name at least one facilitator"
ERROR_FACILITATOR_ELSEWHERE = "Name facilitators who work in the partnership that holds this record"
ERROR_ACCOUNT_TAKEN = "This account is already linked to another person"
ERROR_ACCOUNT_NOT_COMMUNITY = "Only a community member's account can be linked to a person"
ERROR_NEED_ALREADY_MET = "This need is already met"
ERROR_NO_PARTNERSHIP = "You are not a member of a partnership, so you cannot invite anyone"


def _check_facilitators(facilitators: Iterable[Any]) -> list[Any]:
    facilitators = list(facilitators)
    if not facilitators:
        raise ValidationError({"facilitators": ERROR_NEEDS_A_FACILITATOR})
    if any(getattr(user, "role", None) != Role.FACILITATOR for user in facilitators):
        raise ValidationError({"facilitators": ERROR_NOT_A_FACILITATOR})
    return facilitators


def _check_facilitators_in(facilitators: list[Any], partnership: Partnership | None) -> None:
    """Named facilitators see who a person is: they must work in the partnership holding them."""
    if partnership is None:
        return
    members = set(
        Membership.objects.filter(
            partnership=partnership, user__in=[u.pk for u in facilitators]
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in members for user in facilitators):
        raise ValidationError({"facilitators": ERROR_FACILITATOR_ELSEWHERE})


def _check_account(user: Any, person: Person | None) -> None:
    if user is None:
        return
    if user.role != Role.COMMUNITY:
        raise ValidationError({"user": ERROR_ACCOUNT_NOT_COMMUNITY})
    taken = Person.objects.filter(user=user)
    if person is not None and person.pk:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        raise ValidationError({"user": ERROR_ACCOUNT_TAKEN})


@transaction.atomic
def person_create(
    *,
    actor: User,
    alias: str,
    home_lsoa: Lsoa,
    shared: str = "",
    facilitators: Iterable[Any] | None = None,
    user: Any = None,
    synthetic: bool = False,
    synthetic_batch: str = "",
    person_uuid: uuid.UUID | None = None,
    partnership: Partnership | None = None,
) -> Person:
    """A person always has at least one named facilitator (by default whoever records them),
    and belongs to one partnership (by default the recorder's only one), whose members alone
    see them. `person_uuid` keeps the id a person had elsewhere (an import)."""
    named = _check_facilitators(facilitators if facilitators is not None else [actor])
    partnership = partnership_for_record(actor, partnership)
    _check_facilitators_in(named, partnership)
    person = Person(
        partnership=partnership,
        uuid=person_uuid or uuid.uuid4(),
        alias=alias.strip(),
        home_lsoa=home_lsoa,
        shared=shared.strip(),
        synthetic=synthetic,
        synthetic_batch=synthetic_batch if synthetic else "",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_account(user, None)
    person.user = user
    person.full_clean()
    person.save()
    person.facilitators.set(named)
    audit_record(
        actor=actor,
        verb="person.create",
        subject=person,
        details={"facilitators": [u.pk for u in named], "synthetic": synthetic},
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    alias: str,
    home_lsoa: Lsoa,
    shared: str,
    facilitators: Iterable[Any],
    user: Any = None,
) -> Person:
    """Only a named facilitator changes a person's record; there is always at least one."""
    require_named_facilitator(actor, person)
    named = _check_facilitators(facilitators)
    _check_facilitators_in(named, person.partnership)
    _check_account(user, person)
    person.alias = alias.strip()
    person.home_lsoa = home_lsoa
    person.shared = shared.strip()
    person.user = user
    person.full_clean()
    person.save(update_fields=["alias", "home_lsoa", "shared", "user", "updated_at"])
    person.facilitators.set(named)
    audit_record(
        actor=actor,
        verb="person.update",
        subject=person,
        details={"facilitators": [u.pk for u in named], "account_linked": user is not None},
    )
    return person


@transaction.atomic
def identity_set(
    *, actor: User, person: Person, name: str, contact: str = "", address: str = ""
) -> Identity:
    """Encrypt and keep who a person is; only their named facilitators may."""
    require_named_facilitator(actor, person)
    token = identity_crypto.encrypt(
        identity_crypto.IdentityDetails(
            name=name.strip(), contact=contact.strip(), address=address.strip()
        )
    )
    record, created = Identity.objects.update_or_create(person=person, defaults={"token": token})
    audit_record(actor=actor, verb="identity.set", subject=person, details={"created": created})
    return record


def identity_rotate_all(*, actor: User | None = None, batch_size: int = 500) -> int:
    """Re-encrypt every identity record with the newest key; returns how many. Each batch is
    its own transaction, so a long rotation can be stopped and run again."""
    done = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                Identity.objects.select_for_update()
                .filter(pk__gt=last_id)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for record in batch:
                record.token = identity_crypto.rotate(record.token)
            Identity.objects.bulk_update(batch, ["token"])
            done += len(batch)
            last_id = batch[-1].pk
    audit_record(
        actor=actor,
        verb="identity.rotate_keys",
        subject_type="people.identity",
        details={"records": done},
    )
    return done


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    purpose: str,
    given_on: dt.date,
    how: str,
    note: str = "",
) -> Consent:
    """Record consent for one purpose; a purpose has at most one current consent."""
    purpose = Purpose(purpose)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": ERROR_GIVEN_IN_FUTURE})
    if Consent.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError({"purpose": ERROR_CONSENT_ALREADY_GIVEN})
    consent = Consent(
        person=person,
        purpose=purpose,
        given_on=given_on,
        how=how,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        verb="consent.record",
        subject=person,
        details={"purpose": purpose.value, "consent": consent.pk},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, person: Person, purpose: str, on: dt.date) -> Consent:
    """Withdraw the current consent for a purpose. Everything that asks `has_consent` or
    `with_consent` stops using the person for that purpose from this moment."""
    purpose = Purpose(purpose)
    consent = (
        Consent.objects.select_for_update()
        .filter(person=person, purpose=purpose, withdrawn_on__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError({"purpose": ERROR_NO_CURRENT_CONSENT})
    consent.withdrawn_on = on
    consent.withdrawal_recorded_by = actor if getattr(actor, "pk", None) else None
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit_record(
        actor=actor,
        verb="consent.withdraw",
        subject=person,
        details={"purpose": purpose.value, "consent": consent.pk},
    )
    return consent


@dataclass(frozen=True)
class ConsentChanges:
    """What one `consents_set` call changed, in the order of `Purpose`."""

    given: tuple[Purpose, ...]
    withdrawn: tuple[Purpose, ...]

    def __bool__(self) -> bool:
        return bool(self.given or self.withdrawn)


@transaction.atomic
def consents_set(
    person: Person,
    purposes_wanted: Iterable[str],
    *,
    by: User,
    on: dt.date | None = None,
    how: str = "",
    note: str = "",
) -> ConsentChanges:
    """Make the person's current consents exactly `purposes_wanted`: record each newly wanted
    purpose as given `on` (today by default) and withdraw each current one no longer wanted, all
    in one transaction (each with its own audit event), so a refusal part-way leaves nothing
    half-changed. Both the person's own consent page and their facilitator's call this; only the
    person themselves (whose consent is then given online, by themselves) or one of their named
    facilitators may."""
    own = person.user_id is not None and getattr(by, "pk", None) == person.user_id
    if own:
        how = Consent.How.ONLINE
    else:
        require_named_facilitator(by, person)
    on = on or timezone.localdate()
    wanted = {Purpose(p) for p in purposes_wanted}
    current = {
        Purpose(c.purpose): c
        for c in Consent.objects.select_for_update().filter(
            person=person, withdrawn_on__isnull=True
        )
    }
    given = tuple(p for p in Purpose if p in wanted and p not in current)
    withdrawn = tuple(p for p in Purpose if p in current and p not in wanted)
    if on > timezone.localdate():
        raise ValidationError({"on": ERROR_GIVEN_IN_FUTURE if given else ERROR_WITHDRAWN_IN_FUTURE})
    if given and not how:
        raise ValidationError({"how": ERROR_CONSENT_HOW})
    too_early = [current[p] for p in withdrawn if current[p].given_on > on]
    if too_early:
        raise ValidationError(
            {"on": ERROR_WITHDRAWN_TOO_EARLY.format(day=f"{too_early[0].given_on:%-d %b %Y}")}
        )
    for purpose in withdrawn:
        consent_withdraw(actor=by, person=person, purpose=purpose, on=on)
    for purpose in given:
        consent_record(actor=by, person=person, purpose=purpose, given_on=on, how=how, note=note)
    return ConsentChanges(given=given, withdrawn=withdrawn)


@transaction.atomic
def need_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    in_their_words: str,
    urgency: str = Need.Urgency.ROUTINE,
) -> Need:
    need = Need(person=person, kind=kind, in_their_words=in_their_words.strip(), urgency=urgency)
    need.full_clean()
    need.save()
    audit_record(actor=actor, verb="need.add", subject=need, details={"person": person.pk})
    return need


@transaction.atomic
def need_update(*, actor: User, need: Need, kind: str, in_their_words: str, urgency: str) -> Need:
    need.kind = kind
    need.in_their_words = in_their_words.strip()
    need.urgency = urgency
    need.full_clean()
    need.save(update_fields=["kind", "in_their_words", "urgency"])
    audit_record(actor=actor, verb="need.update", subject=need, details={"person": need.person_id})
    return need


@transaction.atomic
def need_mark_met(*, actor: User, need: Need, on: dt.date) -> Need:
    """A met need stays on the record (with the day it was met) and leaves every open list."""
    if need.status == Need.Status.MET:
        raise ValidationError(ERROR_NEED_ALREADY_MET)
    need.status = Need.Status.MET
    need.met_on = on
    need.full_clean()
    need.save(update_fields=["status", "met_on"])
    audit_record(actor=actor, verb="need.met", subject=need, details={"person": need.person_id})
    return need


@transaction.atomic
def need_reopen(*, actor: User, need: Need) -> Need:
    need.status = Need.Status.OPEN
    need.met_on = None
    need.save(update_fields=["status", "met_on"])
    audit_record(actor=actor, verb="need.reopen", subject=need, details={"person": need.person_id})
    return need


@transaction.atomic
def strength_add(*, actor: User, person: Person, kind: str, in_their_words: str) -> Strength:
    strength = Strength(person=person, kind=kind, in_their_words=in_their_words.strip())
    strength.full_clean()
    strength.save()
    audit_record(actor=actor, verb="strength.add", subject=strength, details={"person": person.pk})
    return strength


@transaction.atomic
def strength_update(*, actor: User, strength: Strength, kind: str, in_their_words: str) -> Strength:
    strength.kind = kind
    strength.in_their_words = in_their_words.strip()
    strength.full_clean()
    strength.save(update_fields=["kind", "in_their_words"])
    audit_record(
        actor=actor,
        verb="strength.update",
        subject=strength,
        details={"person": strength.person_id},
    )
    return strength


def _ledger_append(person_uuid: uuid.UUID) -> None:
    path = Path(settings.HCT_ERASURE_LEDGER)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"person": str(person_uuid), "at": timezone.now().isoformat()})
    with path.open("a", encoding="utf-8") as ledger:
        ledger.write(line + "\n")
        ledger.flush()


def ledger_read(path: Path | None = None) -> list[uuid.UUID]:
    path = Path(path or settings.HCT_ERASURE_LEDGER)
    if not path.exists():
        return []
    ids = []
    with path.open(encoding="utf-8") as ledger:
        for number, line in enumerate(ledger, start=1):
            if not line.strip():
                continue
            try:
                ids.append(uuid.UUID(json.loads(line)["person"]))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}, line {number}: not an erasure record") from error
    return ids


def _erase(person: Person) -> dict[str, int]:
    counts = {"identity": Identity.objects.filter(person=person).count()}
    for data in registered():
        if data.erase is not None:
            counts[data.key] = data.erase(person)
    # Everything else about the person (consents, needs, strengths, and every later app's records
    # with a foreign key to Person) goes with the person by cascade.
    _, deleted = person.delete()
    for label, count in deleted.items():
        counts[label.split(".")[-1].lower()] = count
    return counts


@transaction.atomic
def person_erase(*, actor: User, person: Person) -> Erasure:
    """Erase a person everywhere: identity, story, journeys, needs, strengths, consents. What
    stays is an audit event with counts and the person's random id in the erasure list and the
    ledger, so that `reapply_erasures` can erase them again after a restore from backup."""
    require_named_facilitator(actor, person)
    person_uuid, person_id = person.uuid, person.pk
    counts = _erase(person)
    erasure, _ = Erasure.objects.get_or_create(person_uuid=person_uuid)
    _ledger_append(person_uuid)
    audit_record(
        actor=actor,
        verb="person.erase",
        subject_type="people.person",
        subject_id=person_id,
        details={"deleted": counts},
    )
    return erasure


@transaction.atomic
def erasures_reapply(*, actor: User | None = None, ledger: Path | None = None) -> int:
    """Erase again anyone on the erasure list or in the ledger who is back (after a restore);
    returns how many were. The list itself is brought up to date from the ledger."""
    ids = set(ledger_read(ledger)) | set(Erasure.objects.values_list("person_uuid", flat=True))
    again = 0
    for person in Person.objects.filter(uuid__in=ids):
        person_id = person.pk
        counts = _erase(person)
        again += 1
        audit_record(
            actor=actor,
            verb="person.erase_reapplied",
            subject_type="people.person",
            subject_id=person_id,
            details={"deleted": counts},
        )
    known = set(Erasure.objects.values_list("person_uuid", flat=True))
    Erasure.objects.bulk_create([Erasure(person_uuid=u) for u in ids - known])
    return again


ERROR_PERSON_HAS_ACCOUNT = "{alias} already has an account: they sign in with it"


@transaction.atomic
def person_invite(
    *, actor: User, person: Person, email: str = "", days: int = 14
) -> IssuedInvitation:
    """Invite a person already recorded to join as a community member, by one of their named
    facilitators, in the facilitator's partnership. The record is not yet theirs: it is linked
    only if they consent when they join (`person_join`)."""
    require_named_facilitator(actor, person)
    if person.user_id is not None:
        raise ValidationError({"__all__": ERROR_PERSON_HAS_ACCOUNT.format(alias=person.alias)})
    partnership = partnerships_for(actor).first()
    if partnership is None:
        raise ValidationError(ERROR_NO_PARTNERSHIP)
    issued = invitation_create(
        actor=actor,
        partnership=partnership,
        role=Role.COMMUNITY,
        invitee=person.alias,
        email=email,
        days=days,
    )
    PersonInvitation.objects.create(invitation=issued.invitation, person=person)
    audit_record(
        actor=actor,
        verb="person.invite",
        subject=person,
        details={"invitation": issued.invitation.pk},
    )
    return issued


@transaction.atomic
def person_join(
    *,
    invitation: Invitation,
    username: str,
    password: str,
    first_name: str = "",
    link_record: bool = False,
) -> User:
    """Use an invitation (partnership's `invitation_accept`: one use, before it runs out) and,
    when it names a person and they ticked that they agree, tie their new account to that
    person's record. Without the tick the account starts with nothing of the record."""
    user = invitation_accept(
        invitation=invitation, username=username, password=password, first_name=first_name
    )
    link = PersonInvitation.objects.filter(invitation=invitation).select_related("person").first()
    if link is not None and link_record:
        person = Person.objects.select_for_update().get(pk=link.person_id)
        if person.user_id is not None:
            raise ValidationError(ERROR_PERSON_HAS_ACCOUNT.format(alias=person.alias))
        _check_account(user, person)
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        audit_record(
            actor=user,
            verb="person.account_link",
            subject=person,
            details={"invitation": invitation.pk, "consented": True},
        )
    return user
