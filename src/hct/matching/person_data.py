"""What matching holds about a person: their part of the person page (needs' matching
preferences, offers, matches, hours given and received) and of their right-of-access export.
Offers, matches and hours go with the person by database cascade, so erasure needs no hook."""

from django.template.loader import render_to_string

from hct.matching import selectors
from hct.matching.models import HoursLogged, Offer
from hct.people.registry import PersonData, register
from hct.people.selectors import Access


def section(request, person, access: Access) -> str:
    if access not in (Access.NAMED, Access.SCOPE, Access.OWN):
        return ""
    matches = list(selectors.matches_of(person)[:20])
    context = {
        "person": person,
        "access": access,
        "needs": list(person.needs.filter(status="open")) if access.can_edit else [],
        "offers": list(Offer.objects.filter(person=person).prefetch_related("windows")),
        "matches": [
            (m, [other for _, other in views]) for m, views in selectors.seen_by(person, matches)
        ],
        "reciprocity": selectors.reciprocity(person),
    }
    return render_to_string("matching/_person_section.html", context, request=request)


def export(person) -> dict:
    """Their own records only: never the other side's alias or words."""
    return {
        "offers": [
            {
                "kinds": offer.kinds,
                "in_their_words": offer.in_their_words,
                "reach_km": offer.reach_km,
                "capacity_per_week": offer.capacity_per_week,
                "background_checked": offer.background_checked,
                "can_carry_shopping": offer.can_carry_shopping,
                "dog_friendly": offer.dog_friendly,
                "active": offer.active,
                "windows": [str(w) for w in offer.windows.all()],
            }
            for offer in Offer.objects.filter(person=person).prefetch_related("windows")
        ],
        "matches": [
            {
                "match": match.pk,
                "sides": sorted(selectors.sides_of(match, person)),
                "status": match.status,
                "two_way": match.two_way,
                "started_on": match.started_on.isoformat() if match.started_on else None,
                "ended_on": match.ended_on.isoformat() if match.ended_on else None,
                "outcome": match.outcome,
            }
            for match in selectors.matches_of(person)
        ],
        "hours": [
            {
                "match": entry.match_id,
                "hours": str(entry.hours),
                "on": entry.on.isoformat(),
                "given": entry.giver_id == person.pk,
            }
            for entry in HoursLogged.objects.filter(giver=person)
            | HoursLogged.objects.filter(receiver=person)
        ],
    }


def register_person_data() -> None:
    register(PersonData(key="matching", order=40, export=export, section=section))
