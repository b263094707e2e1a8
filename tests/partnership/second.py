"""A second partnership on the deployment, for the isolation tests: Bramblewick Together, with
one organisation and a facilitator working in `ward`, and its first cycle there."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from hct.core.roles import Role
from hct.partnership.models import Membership, Partner, Partnership, Sector
from hct.partnership.services import cycle_start


@dataclass
class SecondPartnership:
    partnership: Partnership
    organisation: Partner
    facilitator: object
    membership: Membership
    cycle: object


def second_partnership(ward) -> SecondPartnership:
    partnership = Partnership.objects.create(name="Bramblewick Together", slug="bramblewick")
    org = Partner.objects.create(
        partnership=partnership, name="Bramblewick Mind", sector=Sector.VOLUNTARY
    )
    facilitator = get_user_model().objects.create_user(
        username="b-facilitator", password="a long enough password", role=Role.FACILITATOR
    )
    membership = Membership.objects.create(user=facilitator, partnership=partnership, partner=org)
    membership.neighbourhoods.add(ward)
    cycle = cycle_start(
        actor=facilitator,
        partnership=partnership,
        neighbourhood=ward,
        started_on=dt.date(2026, 1, 5),
    )
    return SecondPartnership(partnership, org, facilitator, membership, cycle)
