"""Two partnerships on one deployment (issue 14 item 5): partnership B works in a ward nobody in
the demo's partnership (A) covers. Signed in as each role of A, every page that takes an id is
asked for B's records (people, stories, journeys, the map's actors, conversations, commitments,
cycles) and must refuse (403 or 404); the lists A's roles see must not show B's records.

Administrators are operators and see every partnership by design (DESIGN.md), so they are not
walked here."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from hct.commitments.services import commitment_create
from hct.conversations.services import conversation_create
from hct.core.roles import Role
from hct.journeys.services import journey_create, story_create, touchpoint_add
from hct.partnership.models import Partnership
from hct.people.services import person_create
from hct.places.models import Neighbourhood
from tests.partnership.second import second_partnership

pytestmark = pytest.mark.django_db

# Words that appear only in partnership B's records: no page of A may show them.
B_MARKERS = ("Bramblewick", "Quillon", "Zephyrine")
A_ROLES = [Role.COMMUNITY, Role.FACILITATOR, Role.PARTNER, Role.BOARD]
REFUSED = {403, 404}


@dataclass
class WorldB:
    partnership: Partnership
    ward: Neighbourhood
    facilitator: object
    person: object
    journey: object
    story: object
    cycle: object
    conversation: object
    commitment: object
    shared_ward: bool = False


@pytest.fixture(params=["elsewhere", "same ward"])
def world_b(request, demo) -> WorldB:
    """B in a ward nobody in A covers, and B in A's own first neighbourhood: two programmes in
    one place, where geography alone cannot tell whose records are whose."""
    if request.param == "same ward":
        ward = demo.first_neighbourhood
    else:
        covered = Neighbourhood.objects.filter(memberships__partnership=demo.partnership)
        ward = (
            Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD)
            .exclude(pk__in=covered)
            .exclude(cycles__isnull=False)
            .order_by("slug")
            .first()
        )
    b = second_partnership(ward)
    partnership, org, facilitator = b.partnership, b.organisation, b.facilitator
    cycle = b.cycle
    person = person_create(actor=facilitator, alias="Quillon", home_lsoa=ward.lsoas.first())
    journey = journey_create(actor=facilitator, person=person, title="Quillon's journey")
    touchpoint_add(
        actor=facilitator,
        journey=journey,
        when="2026-01-10",
        what="referral",
        note="Zephyrine clinic turned Quillon away",
        new_actor_name="Zephyrine clinic",
        new_actor_kind="local_service",
    )
    story = story_create(actor=facilitator, person=person, text="Zephyrine story of Quillon")
    conversation = conversation_create(
        actor=facilitator,
        cycle=cycle,
        number=1,
        purpose="Bramblewick hears Quillon's story",
        date=dt.date(2026, 2, 1),
        title="Bramblewick's first Big Conversation",
    )
    commitment = commitment_create(
        actor=facilitator,
        partnership=partnership,
        neighbourhood=ward,
        title="Bramblewick Mind opens a Zephyrine drop-in",
        owner=org,
        lead_role="Bramblewick lead",
        made_on=dt.date(2026, 2, 1),
        due_on=dt.date(2026, 5, 1),
    )
    return WorldB(
        partnership,
        ward,
        facilitator,
        person,
        journey,
        story,
        cycle,
        conversation,
        commitment,
        shared_ward=request.param == "same ward",
    )


def _ward_urls(b: WorldB) -> list[str]:
    return [
        reverse("systemmap:map", args=[b.ward.slug]),
        reverse("systemmap:map-json", args=[b.ward.slug]),
    ]


def _b_urls(b: WorldB) -> list[str]:
    return [
        reverse("people:detail", args=[b.person.pk]),
        reverse("people:export", args=[b.person.pk]),
        reverse("journeys:detail", args=[b.journey.pk]),
        reverse("journeys:journey-export", args=[b.journey.pk]),
        reverse("journeys:story", args=[b.story.pk]),
        reverse("journeys:create", args=[b.person.pk]),
        reverse("systemmap:person", args=[b.person.pk]),
        reverse("systemmap:person-json", args=[b.person.pk]),
        # In a shared ward the map's URL is A's own map too: it must open, without B's records.
        *([] if b.shared_ward else _ward_urls(b)),
        reverse("conversations:detail", args=[b.conversation.pk]),
        reverse("conversations:contributions-csv", args=[b.conversation.pk]),
        reverse("commitments:detail", args=[b.commitment.pk]),
        reverse("learning:cycle", args=[b.cycle.pk]),
        reverse("learning:wellbeing-record", args=[b.person.pk]),
    ]


def _lists(b: WorldB) -> list[str]:
    return [
        *(_ward_urls(b) if b.shared_ward else []),
        reverse("people:list"),
        reverse("journeys:list"),
        reverse("journeys:analysis"),
        reverse("conversations:list"),
        reverse("commitments:list"),
        reverse("learning:home"),
        reverse("learning:side-by-side"),
        reverse("systemmap:home"),
    ]


def test_partnership_b_sees_its_own_records(world_b, client_for):
    """The records exist and are reachable by their own partnership: the refusals below are
    about who asks, not about missing pages."""
    client = client_for(username="b-facilitator")
    own = [*_b_urls(world_b)[:3], reverse("commitments:detail", args=[world_b.commitment.pk])]
    for url in own:
        assert client.get(url).status_code == 200, url
    lists = client.get(reverse("people:list")).content.decode()
    assert "Quillon" in lists


@pytest.mark.parametrize("role", A_ROLES)
def test_no_role_of_partnership_a_opens_b_records(role, world_b, client_for):
    client = client_for(role)
    answered = {url: client.get(url).status_code for url in _b_urls(world_b)}
    opened = {url: status for url, status in answered.items() if status not in REFUSED}
    assert not opened, f"{role} opened partnership B's records: {opened}"


@pytest.mark.parametrize("role", A_ROLES)
def test_no_list_partnership_a_sees_shows_b_records(role, world_b, client_for):
    client = client_for(role)
    shown = {}
    for url in _lists(world_b):
        response = client.get(url)
        if response.status_code != 200:
            continue
        page = response.content.decode()
        found = [marker for marker in B_MARKERS if marker in page]
        if found:
            shown[url] = found
    assert not shown, f"{role} sees partnership B's records in lists: {shown}"
