"""Links derived from journeys: a referral between consecutive touchpoints, a gap marks broken
or missing, and both follow the journey as it changes."""

from types import SimpleNamespace

import pytest

from hct.journeys import services as journeys
from hct.journeys.derive import links_derive
from hct.people.services import person_create
from hct.systemmap import services
from hct.systemmap.models import Link, LinkEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo):
    actor = demo.users["facilitator"]
    person = person_create(actor=actor, alias="Derive", home_lsoa=demo.sam.home_lsoa)
    gp = services.actor_create(actor=actor, name="Derive GP", kind="local_service")
    shed = services.actor_create(actor=actor, name="Derive Men's Shed", kind="community_group")
    ward = services.actor_create(actor=actor, name="Derive ward", kind="acute_service")
    journey = journeys.journey_create(actor=actor, person=person, title="A year")
    return SimpleNamespace(actor=actor, person=person, journey=journey, gp=gp, shed=shed, ward=ward)


def _link(a, b, kind="referral"):
    return Link.objects.filter(from_actor=a, to_actor=b, kind=kind).first()


def test_consecutive_touchpoints_make_a_working_referral_with_evidence(world):
    actor, person, journey, gp, shed = (
        world.actor,
        world.person,
        world.journey,
        world.gp,
        world.shed,
    )
    journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-01-02", what="appointment", who=gp
    )
    journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-02-02", what="appointment", who=shed
    )
    link = _link(gp, shed)
    assert link is not None and link.status == "working" and link.origin == "journeys"
    evidence = link.evidence.get()
    assert (evidence.source, evidence.person, evidence.journey) == ("sequence", person, journey)


def test_a_gap_marks_the_link_and_removing_it_restores_what_the_journey_shows(world):
    actor, journey, gp, shed = (world.actor, world.journey, world.gp, world.shed)
    first = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-01-02", what="appointment", who=gp
    )
    second = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-03-02", what="appointment", who=shed
    )
    gap = journeys.gap_add(
        actor=actor, journey=journey, before=first, after=second, kind="referral_lost"
    )
    link = _link(gp, shed)
    assert link.status == "broken"
    assert sorted(link.evidence.values_list("source", flat=True)) == ["gap", "sequence"]
    journeys.gap_remove(actor=actor, gap=gap)
    link.refresh_from_db()
    assert link.status == "working" and link.evidence.count() == 1


def test_a_link_no_journey_shows_any_more_goes_but_one_drawn_by_hand_stays(world):
    actor, journey, gp, shed = (world.actor, world.journey, world.gp, world.shed)
    journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-01-02", what="appointment", who=gp
    )
    last = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-02-02", what="appointment", who=shed
    )
    drawn = services.link_create(
        actor=actor, from_actor=shed, to_actor=gp, kind="information", status="strained"
    )
    journeys.touchpoint_remove(actor=actor, touchpoint=last)
    assert _link(gp, shed) is None
    drawn.refresh_from_db()
    assert drawn.status == "strained"


def test_a_status_set_by_hand_stands_until_handed_back(world):
    actor, journey, gp, shed, ward = (world.actor, world.journey, world.gp, world.shed, world.ward)
    journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-01-02", what="appointment", who=gp
    )
    journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-02-02", what="appointment", who=shed
    )
    link = services.link_update(actor=actor, link=_link(gp, shed), status="strained")
    journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-03-02", what="appointment", who=ward
    )
    link.refresh_from_db()
    assert (link.status, link.status_by_hand) == ("strained", True)
    services.link_update(actor=actor, link=link, status_by_hand=False)
    link.refresh_from_db()
    assert link.status == "working"


def test_deriving_twice_changes_nothing_and_same_actor_gaps_run_from_the_person(world):
    actor, person, journey, gp = (world.actor, world.person, world.journey, world.gp)
    first = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-01-02", what="appointment", who=gp
    )
    second = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-02-02", what="appointment", who=gp
    )
    journeys.gap_add(
        actor=actor, journey=journey, before=first, after=second, kind="appointment_not_flexible"
    )
    me = services.actor_for_person(actor=actor, person=person)
    assert _link(me, gp, "support").status == "broken"
    before = sorted(LinkEvidence.objects.filter(journey=journey).values_list("link_id", "source"))
    result = links_derive(actor=actor, journeys=[journey.pk])
    after = sorted(LinkEvidence.objects.filter(journey=journey).values_list("link_id", "source"))
    assert before == after and (result.created, result.removed) == (0, 0)


def test_hand_links_are_checked(world):
    actor, gp, shed = (world.actor, world.gp, world.shed)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.link_create(actor=actor, from_actor=gp, to_actor=gp, kind="support")
    with pytest.raises(ValidationError):
        services.link_create(actor=actor, from_actor=gp, to_actor=shed, kind="support", strength=9)
    with pytest.raises(ValueError):
        services.link_create(actor=actor, from_actor=gp, to_actor=shed, kind="gossip")


def test_what_a_big_conversation_said_is_evidence_that_stays(world):
    actor, gp, shed = world.actor, world.gp, world.shed
    evidence = services.link_evidence_add(
        actor=actor, from_actor=shed, to_actor=gp, kind="information", status="missing", note="x"
    )
    link = evidence.link
    assert (link.status, link.origin, evidence.source) == (
        "missing",
        "conversation",
        "conversation",
    )
    services.link_evidence_add(
        actor=actor, from_actor=shed, to_actor=gp, kind="information", status="working"
    )
    link.refresh_from_db()
    assert link.status == "missing" and link.evidence.count() == 2  # the worst still stands
    journeys.touchpoint_add(
        actor=actor, journey=world.journey, when="2024-01-02", what="appointment", who=gp
    )
    assert Link.objects.filter(pk=link.pk).exists()


def test_a_link_a_gap_once_marked_stays_when_its_journey_no_longer_shows_it(world):
    actor, journey, gp, shed = world.actor, world.journey, world.gp, world.shed
    first = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-01-02", what="appointment", who=gp
    )
    second = journeys.touchpoint_add(
        actor=actor, journey=journey, when="2024-03-02", what="appointment", who=shed
    )
    journeys.gap_add(actor=actor, journey=journey, before=first, after=second, kind="long_wait")
    journeys.touchpoint_remove(actor=actor, touchpoint=second)  # its gap goes with it
    link = _link(gp, shed)
    assert link is not None and link.evidence.count() == 0
    assert (link.status, link.times_marked) == ("broken", 1)
