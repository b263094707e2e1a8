import datetime as dt

from hct.flexibility.models import Service
from hct.flexibility.services import Figures, service_describe


def figures(**overrides) -> Figures:
    values = {
        "described_on": dt.date(2026, 11, 1),
        "referrals_per_week": 6.0,
        "sessions_per_week": "40",
        "sessions_per_course": 4,
        "change_percent": 30.0,
        "notice_days": 3.0,
        "dna_percent": 10.0,
        "change_rule": "back",
        "dna_rule": "discharge",
        "dna_limit": 2,
        "sources": "The service's own referral figures, Sept–Oct 2026",
        **overrides,
    }
    return Figures(**values)


def describe(actor, partnership, neighbourhood, name="Talking therapies", **overrides) -> Service:
    found = Service.objects.filter(name=name, neighbourhood=neighbourhood).first()
    if found is not None:
        return found
    return service_describe(
        actor=actor,
        partnership=partnership,
        neighbourhood=neighbourhood,
        name=name,
        runs_it=None,
        figures=figures(**overrides),
    )
