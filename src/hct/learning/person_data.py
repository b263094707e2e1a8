"""What learning holds about a person (their well-being answers): their part of the person page
and of their right-of-access export. The answers go with the person (a cascade) on erasure."""

from django.template.loader import render_to_string

from hct.learning.selectors import wellbeing_checks_of
from hct.people.registry import PersonData, register
from hct.people.selectors import Access

FIELDS = ("wave", "asked_on", "life_satisfaction", "worthwhile", "happy", "anxious", "lonely")


def section(request, person, access: Access) -> str:
    # Scores are for the person and their named facilitators only.
    if access not in (Access.NAMED, Access.OWN):
        return ""
    context = {"person": person, "access": access, "checks": wellbeing_checks_of(person)}
    return render_to_string("learning/_person_section.html", context, request=request)


def export(person) -> list[dict]:
    return [
        {
            **{name: getattr(check, name) for name in FIELDS},
            "asked_on": check.asked_on.isoformat(),
            "consent_how": check.consent_how,
        }
        for check in wellbeing_checks_of(person)
    ]


def register_person_data() -> None:
    register(PersonData(key="wellbeing", order=60, export=export, section=section))
