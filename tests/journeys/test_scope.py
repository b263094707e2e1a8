"""Who sees what of Sam (DESIGN.md): his named facilitator everything; another facilitator of
his neighbourhood his alias, story and journey but not who he is; a facilitator elsewhere
nothing; a partner his quotes and journey only while he consents to share and only in their
scope; the board and the public nothing but published figures. No alias or story text leaks."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from hct.core.roles import Role
from hct.people.services import consent_withdraw
from hct.places.models import Neighbourhood
from tests.people.helpers import facilitator, partner, signed_in

pytestmark = pytest.mark.django_db

NOT_QUOTED = "There was the abuse when I was a child."  # in Sam's story, not a shared quote
QUOTED = "What helped me get well were the simple things."
IDENTITY = "a demo identity, not a real person"


def _urls(demo):
    return {
        "person": reverse("people:detail", args=[demo.sam.pk]),
        "identity": reverse("people:identity", args=[demo.sam.pk]),
        "journey": reverse("journeys:detail", args=[demo.sam_journey.pk]),
        "story": reverse("journeys:story", args=[demo.sam_story.pk]),
        "export": reverse("people:export", args=[demo.sam.pk]),
        "journeys": reverse("journeys:list"),
        "people": reverse("people:list"),
    }


def _elsewhere(demo):
    return (
        Neighbourhood.objects.filter(kind="ward")
        .exclude(lsoas=demo.sam.home_lsoa)
        .order_by("name")
        .first()
    )


def _seen(response, *texts) -> list[str]:
    body = response.content.decode()
    return [t for t in texts if t in body or escape(t) in body]


def test_a_facilitator_of_his_neighbourhood_sees_alias_story_and_journey_not_identity(demo):
    colleague = signed_in(facilitator(demo, "colleague", [demo.first_neighbourhood]))
    urls = _urls(demo)
    person = colleague.get(urls["person"])
    wanted = [demo.sam.alias, "My story", "Someone to help look after my dog"]
    assert _seen(person, *wanted) == wanted
    assert _seen(colleague.get(urls["story"]), NOT_QUOTED, "complete mental breakdown") == [
        NOT_QUOTED,
        "complete mental breakdown",
    ]
    assert colleague.get(urls["journey"]).status_code == 200
    assert demo.sam.alias in colleague.get(urls["people"]).content.decode()
    for name in ("identity", "export"):
        response = colleague.get(urls[name])
        assert response.status_code == 403
        assert not _seen(response, IDENTITY, demo.sam.alias)
    page = colleague.get(urls["person"])
    assert not _seen(page, IDENTITY, "See or change who they are", "Erase them")
    # Family names are his and his named facilitators'; a colleague sees the kind.
    journey = colleague.get(urls["journey"])
    assert not _seen(journey, "Sam's family") and ">Family<" in journey.content.decode()


def test_a_facilitator_of_another_neighbourhood_sees_nothing_of_him(demo):
    stranger = signed_in(facilitator(demo, "stranger", [_elsewhere(demo)]))
    urls = _urls(demo)
    for name in ("person", "identity", "journey", "story", "export"):
        response = stranger.get(urls[name])
        assert response.status_code == 403, name
        assert not _seen(response, demo.sam.alias, NOT_QUOTED, QUOTED)
    for name in ("journeys", "people"):
        assert not _seen(stranger.get(urls[name]), demo.sam.alias)
    analysis = stranger.get(reverse("journeys:analysis"))
    assert not _seen(analysis, demo.sam.alias)


def test_a_partner_sees_his_quotes_and_journey_only_while_he_consents(client_for, demo):
    client = client_for(Role.PARTNER)
    urls = _urls(demo)
    person = client.get(urls["person"])
    assert _seen(person, demo.sam.alias, QUOTED) == [demo.sam.alias, QUOTED]
    assert not _seen(person, NOT_QUOTED, IDENTITY, "complete mental breakdown")
    assert not _seen(person, "someone to help look after my dog")  # needs are not shared
    journey = client.get(urls["journey"])
    assert journey.status_code == 200
    assert not _seen(journey, "Sam's family", "A complete mental breakdown.")  # no notes either
    assert client.get(urls["story"]).status_code == 403
    assert demo.sam.alias in client.get(urls["journeys"]).content.decode()

    consent_withdraw(
        actor=demo.users["facilitator"],
        person=demo.sam,
        purpose="share_with_partners",
        on=dt.date.today(),
    )
    for name in ("person", "journey"):
        response = client.get(urls[name])
        assert response.status_code == 403
        assert not _seen(response, demo.sam.alias, QUOTED)
    assert not _seen(client.get(urls["journeys"]), demo.sam.alias)


def test_a_partner_sees_only_the_people_who_share_with_partners(client_for, demo):
    from hct.people.models import Person
    from hct.people.selectors import with_consent

    body = client_for(Role.PARTNER).get(reverse("journeys:list")).content.decode()
    sharing = with_consent(Person.objects.filter(synthetic_batch="demo"), "share_with_partners")
    for person in Person.objects.filter(synthetic_batch="demo"):
        assert (person.alias in body) == sharing.filter(pk=person.pk).exists(), person.alias


def test_a_partner_outside_his_neighbourhood_sees_nothing_of_him(demo):
    client = signed_in(partner(demo, "far-partner", [_elsewhere(demo)]))
    urls = _urls(demo)
    for name in ("person", "journey"):
        response = client.get(urls[name])
        assert response.status_code == 403
        assert not _seen(response, demo.sam.alias, QUOTED)
    assert not _seen(client.get(urls["journeys"]), demo.sam.alias)
    assert (
        client.get(
            reverse("journeys:analysis-neighbourhood", args=[demo.first_neighbourhood.slug])
        ).status_code
        == 403
    )


def test_the_board_and_the_public_see_no_one(client_for, demo):
    urls = _urls(demo)
    board = client_for(Role.BOARD)
    for name, url in urls.items():
        response = board.get(url)
        assert response.status_code == 403, name
        assert not _seen(response, demo.sam.alias, QUOTED, NOT_QUOTED)
    public = client_for(None)
    for url in urls.values():
        response = public.get(url)
        assert response.status_code == 302 and not _seen(response, demo.sam.alias)


def test_a_community_member_sees_their_own_record_and_no_one_elses(client_for, demo):
    from hct.people.models import Person

    client = client_for(Role.COMMUNITY)
    own = client.get(reverse("journeys:detail", args=[demo.sam_journey.pk]))
    assert own.status_code == 200 and _seen(own, "Sam's family")
    assert _seen(client.get(reverse("journeys:story", args=[demo.sam_story.pk])), NOT_QUOTED)
    neighbour = Person.objects.filter(synthetic_batch="demo").first()
    journey = neighbour.journeys.get()
    response = client.get(reverse("journeys:detail", args=[journey.pk]))
    assert response.status_code == 403 and not _seen(response, neighbour.alias)
    body = client.get(reverse("journeys:list")).content.decode()
    assert demo.sam_journey.title in body and neighbour.alias not in body
