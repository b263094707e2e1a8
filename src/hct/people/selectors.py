"""Reads for people, and the rules every other app uses: who may see a person, and consent.

- a person's named facilitators see everything, identity included;
- other facilitators whose scope includes the person's home see alias, story, journey, needs
  and strengths, but not identity;
- partners see a person's shareable quotes and journey only where `share_with_partners` consent
  is current and the person's home is in their scope;
- the person themselves sees their own record;
- board members, admins and the public see no one (only suppressed figures elsewhere).

`has_consent` and `with_consent` read consent fresh from the database each time, so a withdrawal
takes effect at once in every page, export and matching run that asks.
"""

import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from hct.core.models import User
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.selectors import in_own_scope
from hct.people import identity as identity_crypto
from hct.people.models import Consent, Identity, Need, Person, Purpose, Strength
from hct.people.registry import registered
from hct.places.models import Lsoa, Neighbourhood

ERROR_NOT_NAMED_FACILITATOR = (
    "Only this person's named facilitators may read or change who they are"
)


class Access(enum.Enum):
    NAMED = "named"  # a named facilitator
    SCOPE = "scope"  # another facilitator whose scope includes the person's home
    OWN = "own"  # the person themselves
    SHARED = "shared"  # a partner in scope, with the person's consent to share with partners
    NONE = "none"

    @property
    def sees_person(self) -> bool:
        return self is not Access.NONE

    @property
    def sees_identity(self) -> bool:
        return self is Access.NAMED

    @property
    def sees_story(self) -> bool:
        """The whole story, needs and strengths (partners see shareable quotes only)."""
        return self in (Access.NAMED, Access.SCOPE, Access.OWN)

    @property
    def sees_private_names(self) -> bool:
        """Names such as "Sam's sister", kept for the person's facilitators."""
        return self in (Access.NAMED, Access.OWN)

    @property
    def can_edit(self) -> bool:
        return self is Access.NAMED

    @property
    def writes_story(self) -> bool:
        """Their story and journeys: a named facilitator with them, or the person themselves."""
        return self in (Access.NAMED, Access.OWN)


def current_consents(purpose: str) -> QuerySet[Consent]:
    return Consent.objects.filter(purpose=purpose, withdrawn_on__isnull=True)


def has_consent(person: Person, purpose: str) -> bool:
    """Whether the person's consent for `purpose` is current (given and not withdrawn)."""
    return current_consents(Purpose(purpose)).filter(person=person).exists()


def with_consent(people: QuerySet[Person], purpose: str) -> QuerySet[Person]:
    """Only the people whose consent for `purpose` is current, filtered in the database."""
    return people.filter(
        Exists(current_consents(Purpose(purpose)).filter(person_id=OuterRef("pk")))
    )


def lsoas_in(neighbourhoods: QuerySet[Neighbourhood]) -> QuerySet[Lsoa]:
    return Lsoa.objects.filter(neighbourhoods__in=neighbourhoods)


def people_in(neighbourhoods: QuerySet[Neighbourhood], partnership: Any = None) -> QuerySet[Person]:
    """People whose home LSOA lies in any of these neighbourhoods (as a subquery, no duplicates),
    of one partnership when it is given (two partnerships may work in the same ward)."""
    people = Person.objects.filter(home_lsoa__in=lsoas_in(neighbourhoods).values("pk"))
    if partnership is not None:
        people = people.filter(partnership=partnership)
    return people


def people_in_scope(user: Any) -> QuerySet[Person]:
    """The people a facilitator may see: those who name them, and those of their partnerships
    living in the neighbourhoods that partnership gave them. Nobody else sees a list of people."""
    if getattr(user, "role", None) != Role.FACILITATOR:
        return Person.objects.none()
    return Person.objects.filter(in_own_scope(user) | Q(Exists(_named(user))))


def _named(user: Any):
    return Person.facilitators.through.objects.filter(person_id=OuterRef("pk"), user_id=user.pk)


def people_shared_with(user: Any) -> QuerySet[Person]:
    """The people a partner may see: in their scope, with current consent to share."""
    if getattr(user, "role", None) != Role.PARTNER:
        return Person.objects.none()
    return with_consent(Person.objects.filter(in_own_scope(user)), Purpose.SHARE_WITH_PARTNERS)


def person_access(user: Any, person: Person) -> Access:
    role = getattr(user, "role", None)
    if role == Role.FACILITATOR:
        if person.facilitators.filter(pk=user.pk).exists():
            return Access.NAMED
        if people_in_scope(user).filter(pk=person.pk).exists():
            return Access.SCOPE
        return Access.NONE
    if role == Role.PARTNER:
        if people_shared_with(user).filter(pk=person.pk).exists():
            return Access.SHARED
        return Access.NONE
    if role == Role.COMMUNITY and person.user_id is not None and person.user_id == user.pk:
        return Access.OWN
    return Access.NONE


def person_for_user(user: Any) -> Person | None:
    """The person record linked to a community member's own account."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.select_related("home_lsoa__ward").filter(user=user).first()


def person_get(pk: int) -> Person:
    return Person.objects.select_related("home_lsoa__ward", "home_lsoa__msoa", "user").get(pk=pk)


def person_list(people: QuerySet[Person], *, named_by: Any = None) -> QuerySet[Person]:
    """A list page's people, with what the list shows, in a constant number of queries."""
    queryset = people.select_related("home_lsoa__ward").order_by("alias", "id")
    if named_by is not None:
        queryset = queryset.annotate(is_mine=Exists(_named(named_by)))
    return queryset


def people_named_to(people: QuerySet[Person], user: Any) -> QuerySet[Person]:
    """Of `people`, those who name `user` as one of their facilitators."""
    return people.filter(facilitators=user)


def person_edit_initial(person: Person) -> dict[str, object]:
    """What the change-record form starts with."""
    return {
        "alias": person.alias,
        "shared": person.shared,
        "home_lsoa": person.home_lsoa_id,
        "facilitators": list(person.facilitators.values_list("pk", flat=True)),
        "user": person.user_id,
    }


def need_of(person: Person, pk: int) -> Need | None:
    """One of this person's needs (None for another person's)."""
    return Need.objects.filter(person=person, pk=pk).first()


def strength_of(person: Person, pk: int) -> Strength | None:
    """One of this person's strengths (None for another person's)."""
    return Strength.objects.filter(person=person, pk=pk).first()


def person_detail(person: Person) -> Person:
    """The person with needs, strengths, consents and facilitators loaded."""
    return (
        Person.objects.select_related("home_lsoa__ward", "home_lsoa__msoa", "user")
        .prefetch_related(
            Prefetch("needs", queryset=Need.objects.order_by("status", "id")),
            Prefetch("strengths", queryset=Strength.objects.order_by("id")),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related(
                    "recorded_by", "withdrawal_recorded_by"
                ).order_by("purpose", "-given_on", "-id"),
            ),
            "facilitators",
        )
        .get(pk=person.pk)
    )


def consented_purposes(person: Person) -> set[Purpose]:
    """The purposes the person's consent is current for (from prefetched consents, if any)."""
    return {Purpose(c.purpose) for c in person.consents.all() if c.current}


def consent_summary(person: Person) -> list[dict]:
    """Each purpose with its current consent (or None) and earlier ones, from prefetched data."""
    by_purpose: dict[str, list[Consent]] = {p.value: [] for p in Purpose}
    for consent in person.consents.all():
        by_purpose[consent.purpose].append(consent)
    return [
        {
            "purpose": purpose,
            "label": purpose.label,
            "current": next((c for c in by_purpose[purpose.value] if c.current), None),
            "history": [c for c in by_purpose[purpose.value] if not c.current],
        }
        for purpose in Purpose
    ]


def require_named_facilitator(actor: User, person: Person) -> None:
    """Refuse anyone but one of the person's named facilitators."""
    if getattr(actor, "role", None) != Role.FACILITATOR or not (
        person.facilitators.filter(pk=actor.pk).exists()
    ):
        raise PermissionDenied(ERROR_NOT_NAMED_FACILITATOR)


def identity_read(
    *, actor: User, person: Person, purpose: str = "view"
) -> identity_crypto.IdentityDetails:
    """Decrypt a person's identity for one of their named facilitators (or, for their own
    right-of-access export, the person). Every read leaves an audit event."""
    own = person.user_id is not None and getattr(actor, "pk", None) == person.user_id
    if not own:
        require_named_facilitator(actor, person)
    record = Identity.objects.filter(person=person).first()
    audit_record(
        actor=actor,
        verb="identity.read",
        subject=person,
        details={"purpose": purpose, "held": record is not None},
    )
    if record is None:
        return identity_crypto.IdentityDetails()
    return identity_crypto.decrypt(record.token)


def identity_held(person: Person) -> bool:
    return Identity.objects.filter(person=person).exists()


def person_export(*, actor: User, person: Person) -> dict:
    """Everything held about a person, as one JSON document: their right of access."""
    person = person_detail(person)
    details = identity_read(actor=actor, person=person, purpose="export")
    document = {
        "format": "hct-person-record",
        "version": 1,
        "person": {
            "id": str(person.uuid),
            "alias": person.alias,
            "what_they_chose_to_share": person.shared,
            "home_lsoa": {"code": person.home_lsoa.code, "name": person.home_lsoa.name},
            "synthetic": person.synthetic,
            "has_account": person.user_id is not None,
            "named_facilitators": [
                u.get_full_name() or u.username for u in person.facilitators.all()
            ],
            "created_at": person.created_at.isoformat(),
        },
        "identity": {
            "name": details.name,
            "contact": details.contact,
            "address": details.address,
        },
        "consents": [
            {
                "purpose": c.purpose,
                "given_on": c.given_on.isoformat(),
                "how": c.how,
                "note": c.note,
                "recorded_by": c.recorded_by.username if c.recorded_by else None,
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in person.consents.all()
        ],
        "needs": [
            {
                "kind": n.kind,
                "in_their_words": n.in_their_words,
                "urgency": n.urgency,
                "status": n.status,
                "met_on": n.met_on.isoformat() if n.met_on else None,
            }
            for n in person.needs.all()
        ],
        "strengths": [
            {"kind": s.kind, "in_their_words": s.in_their_words} for s in person.strengths.all()
        ],
    }
    for data in registered():
        document[data.key] = data.export(person)
    audit_record(
        actor=actor,
        verb="person.export",
        subject=person,
        details={"sections": sorted(document)},
    )
    return document
