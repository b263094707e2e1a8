"""The demo's map: what the facilitators know of the first neighbourhood that no journey shows.

A few links drawn by hand between its groups and services, some with a polarity, so that the
analysis page has a route from the GP to the Men's Shed, a service with no community link is
visible, and one feedback loop exists: the GP refers people to the Men's Shed (+), the Shed eases
the demand on the GP (−), and a GP under pressure refers less (−). Idempotent: links already
there are left as they are.
"""

from django.contrib.auth import get_user_model

from hct.partnership.models import Cycle
from hct.systemmap.models import Actor, Link
from hct.systemmap.services import link_create

# (from, to, kind, status, polarity, note)
HAND_LINKS = (
    ("The GP practice", "The Men's Shed", "referral", "working", "+", "Social prescribing"),
    (
        "The Men's Shed",
        "The GP practice",
        "information",
        "strained",
        "-",
        "Fewer appointments for loneliness, when the Shed hears back",
    ),
    (
        "The GP practice",
        "The community centre",
        "referral",
        "working",
        "-",
        "Fewer referrals when the practice is short-staffed",
    ),
    ("The community centre", "The GP practice", "support", "working", "+", ""),
    ("The community centre", "The Men's Shed", "information", "working", "", ""),
    ("Citizens Advice", "Council housing options", "referral", "broken", "", ""),
    ("The charity shop", "The community centre", "funding", "working", "", ""),
)


def systemmap_demo_load(summary) -> None:
    cycle = Cycle.objects.select_related("neighbourhood").filter(number=1).order_by("pk").first()
    if cycle is None:
        return
    facilitator = get_user_model().objects.get(username="facilitator")
    actors = {
        a.name: a
        for a in Actor.objects.filter(neighbourhood=cycle.neighbourhood, person__isnull=True)
    }
    made = 0
    for source, target, kind, status, polarity, note in HAND_LINKS:
        if source not in actors or target not in actors:
            continue
        if Link.objects.filter(
            from_actor=actors[source], to_actor=actors[target], kind=kind
        ).exists():
            continue
        link_create(
            actor=facilitator,
            from_actor=actors[source],
            to_actor=actors[target],
            kind=kind,
            status=status,
            polarity=polarity,
            note=note,
        )
        made += 1
    if made:
        summary.created.append(f"{made} links drawn by hand on the first neighbourhood's map")
