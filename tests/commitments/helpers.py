"""Commitments for tests, made through the services like any other."""

import datetime as dt

from hct.commitments import services
from hct.partnership.models import Partner

NHS = "Coventry and Warwickshire Partnership NHS Trust"
COUNCIL = "Coventry City Council Public Health"
GRAPEVINE = "Grapevine Coventry and Warwickshire"


def partner_named(demo, name: str) -> Partner:
    return Partner.objects.get(partnership=demo.partnership, name=name)


def make(demo, *, title="A test promise", owner=NHS, made_on=None, due_on=None, **more):
    made_on = made_on or dt.date(2026, 1, 1)
    return services.commitment_create(
        actor=demo.users["facilitator"],
        partnership=demo.partnership,
        neighbourhood=more.pop("neighbourhood", demo.first_neighbourhood),
        title=title,
        owner=partner_named(demo, owner),
        lead_role=more.pop("lead_role", "Head of IAPT"),
        made_on=made_on,
        due_on=due_on or made_on + dt.timedelta(days=90),
        **more,
    )
