"""The Coventry demo: the partnership of the brief, its charter, its first cycle and six more.

`demo_load` is idempotent: each part is created only when it is missing, so running it twice
changes nothing (and leaves no second set of audit events).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from hct.core.roles import Role
from hct.core.services import user_create
from hct.demo.commitments import commitments_demo_load
from hct.demo.conversations import conversations_demo_load
from hct.demo.dates import FIRST_CYCLE_DATES
from hct.demo.directory import directory_load
from hct.demo.journeys import journeys_demo_load
from hct.demo.learning import learning_demo_load
from hct.demo.matching import matching_demo_load
from hct.demo.systemmap import systemmap_demo_load
from hct.partnership.models import CharterRevision, Cycle, Partnership, Stage
from hct.partnership.services import (
    charter_revise,
    cycle_advance,
    cycle_start,
    membership_add,
    partner_add,
    partnership_create,
)
from hct.places import selectors as places_selectors
from hct.places.models import Neighbourhood
from hct.places.services import places_load, where_next_choose

User = get_user_model()

ACCOUNTS = (
    # username, role, first name, last name
    ("facilitator", Role.FACILITATOR, "Jo", "Bennett"),
    ("partner", Role.PARTNER, "Steve", "Carter"),
    ("board", Role.BOARD, "Morgan", "Ellis"),
    ("admin", Role.ADMIN, "Platform", "Administrator"),
    ("sam", Role.COMMUNITY, "Sam", ""),
)

PARTNERSHIP_NAME = "Healthy Communities Together Coventry"
PARTNERS = (
    (
        "Grapevine Coventry and Warwickshire",
        "voluntary",
        "Community organising with a strengths-based approach; relationships that solve problems.",
    ),
    (
        "Coventry City Council Public Health",
        "council",
        "Public health consultants and the council's community resilience team.",
    ),
    (
        "Coventry and Warwickshire Partnership NHS Trust",
        "nhs",
        "Talking therapies (IAPT), acute mental health services, transformation and partnerships.",
    ),
    (
        "People and groups of the neighbourhood",
        "community",
        "Residents with lived experience, the Men's Shed, the community centre, the social club.",
    ),
)

CHARTER_1 = {
    "stated_purpose": (
        "To shift health inequalities for the most marginalised and excluded Coventry people with "
        "mental health issues, by building a new partnership between the public and voluntary "
        "sectors and the people of a neighbourhood."
    ),
    "felt_purpose": (
        "We do this because we have seen what happens when the system fails to connect, and "
        "because we are all the system that keeps people well: the person, family, neighbours, "
        "friends, community, businesses, local services and acute services."
    ),
    "accountability": (
        "We say what is on our plates, professionally and personally. We keep our word, and we "
        "say so in public when we cannot. The community holds us to account."
    ),
    "disagreement": (
        "We disagree in the room, not outside it. When other priorities creep in we name them "
        "and come back here, to why we do what we do."
    ),
    "side_conversations": (
        "We ask each other: are we having side conversations when we shouldn't? If one happens, "
        "whoever was in it brings it back to the whole partnership."
    ),
}
CHARTER_2_CHANGES = {
    "felt_purpose": CHARTER_1["felt_purpose"]
    + (
        " We are here out of the land of governance and deliverables, in the land of trust, "
        "promise, bonds, keeping your word, being yourself."
    ),
    "accountability": (
        "We say what is on our plates, professionally and personally. We keep our word, and we "
        "say so in public when we cannot. The community holds us to account, and we meet them "
        "where they are: in the church hall, not the boardroom."
    ),
}

FIRST_CYCLE_NOTE = (
    "The brief does not name Sam's neighbourhood. This demo starts the first cycle in the "
    "neighbourhood that comes top of the Where next ranking with its default weights: the "
    "choice is illustrative."
)
NEXT_SIX_REASON = (
    "The next six by need, with the default weights: most LSOAs in England's most deprived "
    "tenth, poorest health ranks. We will dive into each in turn, learning as we go."
)


@dataclass
class DemoSummary:
    created: list[str] = field(default_factory=list)
    first_neighbourhood: str = ""

    def describe(self, *, port: int, password: str) -> str:
        names = ", ".join(username for username, *_ in ACCOUNTS)
        done = (
            "Created: " + ", ".join(self.created)
            if self.created
            else "The demo was already set up."
        )
        return (
            f"{done}\n"
            f"hct demo: http://127.0.0.1:{port}/\n"
            f"Sign in as one of: {names}\n"
            f"Password for each: {password}\n"
            f"The first cycle is in {self.first_neighbourhood} (illustrative)."
        )


def demo_load(*, password: str, password_given: bool = False) -> DemoSummary:
    summary = DemoSummary()
    if not places_selectors.places_loaded():
        places_load(actor=None)
        summary.created.append("Coventry places")
    with transaction.atomic():
        users = _accounts(password, password_given, summary)
        _partnership(users, summary)
        journeys_demo_load(summary)
        systemmap_demo_load(summary)
        conversations_demo_load(summary)
    directory_load(summary)
    commitments_demo_load(summary)
    matching_demo_load(summary)
    learning_demo_load(summary)
    return summary


def _accounts(password: str, password_given: bool, summary: DemoSummary) -> dict[str, object]:
    users = {}
    for username, role, first, last in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=password,
                role=role,
                first_name=first,
                last_name=last,
            )
            summary.created.append(f"account {username}")
        elif password_given and not user.check_password(password):
            # An explicit HCT_DEMO_PASSWORD is the one thing a second run may change.
            user.set_password(password)
            user.save(update_fields=["password"])
        users[username] = user
    return users


def _partnership(users: dict, summary: DemoSummary) -> None:
    facilitator = users["facilitator"]
    partnership = Partnership.objects.filter(name=PARTNERSHIP_NAME).first()
    if partnership is None:
        partnership = partnership_create(
            actor=facilitator,
            name=PARTNERSHIP_NAME,
            description=(
                "A voluntary-sector organisation, the council's public health department and the "
                "NHS partnership trust, working as equals with the people of a neighbourhood, "
                "starting from one person's story of the system."
            ),
        )
        summary.created.append("the partnership")
        partners = {
            name: partner_add(
                actor=facilitator,
                partnership=partnership,
                name=name,
                sector=sector,
                description=text,
            )
            for name, sector, text in PARTNERS
        }
    else:
        partners = {p.name: p for p in partnership.partners.all()}

    ranked = places_selectors.where_next_ranking(
        places_selectors.DEFAULT_WEIGHTS, kind=Neighbourhood.Kind.WARD
    )
    first = ranked[0].neighbourhood
    next_six = [item.neighbourhood for item in ranked[1:7]]
    summary.first_neighbourhood = first.name

    memberships: tuple[tuple[Any, ...], ...] = (
        (
            "facilitator",
            "Grapevine Coventry and Warwickshire",
            "Community organiser",
            [first, *next_six],
            False,
        ),
        (
            "partner",
            "Coventry and Warwickshire Partnership NHS Trust",
            "Head of IAPT",
            [first],
            False,
        ),
        # The board's chair leads the partnership: organisations, invitations, memberships.
        ("board", None, "Chair of the partnership board", [], True),
    )
    for username, partner_name, title, neighbourhoods, is_lead in memberships:
        user = users[username]
        if not partnership.memberships.filter(user=user).exists():
            membership_add(
                actor=facilitator,
                partnership=partnership,
                user=user,
                partner=partners.get(partner_name) if partner_name else None,
                title=title,
                neighbourhoods=neighbourhoods,
                is_lead=is_lead,
            )

    if not CharterRevision.objects.filter(partnership=partnership).exists():
        charter_revise(
            actor=facilitator, partnership=partnership, note="Agreed poolside", **CHARTER_1
        )
        charter_revise(
            actor=users["partner"],
            partnership=partnership,
            note="After the first Big Conversation",
            **{**CHARTER_1, **CHARTER_2_CHANGES},
        )
        summary.created.append("the poolside charter (2 revisions)")

    if not Cycle.objects.filter(partnership=partnership).exists():
        cycle = cycle_start(
            actor=facilitator,
            partnership=partnership,
            neighbourhood=first,
            started_on=dt.date.fromisoformat(FIRST_CYCLE_DATES["poolside"]),
            note=FIRST_CYCLE_NOTE,
        )
        for stage in (
            Stage.DIVE_IN,
            Stage.STORY,
            Stage.BIG_CONVERSATION_1,
            Stage.BIG_CONVERSATION_2,
            Stage.BIG_CONVERSATION_3,
        ):
            cycle_advance(
                actor=facilitator,
                cycle=cycle,
                stage=stage,
                on=dt.date.fromisoformat(FIRST_CYCLE_DATES[stage]),
            )
        where_next_choose(
            actor=facilitator,
            neighbourhoods=next_six,
            reason=NEXT_SIX_REASON,
            weights=dict(places_selectors.DEFAULT_WEIGHTS),
            ranking=[
                {"slug": r.neighbourhood.slug, "score": round(r.score, 2), "rank": r.rank}
                for r in ranked
            ],
        )
        for neighbourhood in next_six:
            cycle_start(actor=facilitator, partnership=partnership, neighbourhood=neighbourhood)
        summary.created.append(f"7 cycles (the first in {first.name})")
