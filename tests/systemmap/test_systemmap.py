import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hct.people.services import person_create
from hct.systemmap import selectors, services
from hct.systemmap.models import Actor, Link, Sector

pytestmark = pytest.mark.django_db


def _gp_and_centre(demo):
    actor = demo.users["facilitator"]
    gp = services.actor_create(actor=actor, name="A GP practice", kind="local_service")
    centre = services.actor_create(actor=actor, name="A community centre", kind="community_group")
    return gp, centre


def test_an_actor_takes_its_sector_from_its_kind_and_family_is_private(demo):
    gp, centre = _gp_and_centre(demo)
    assert gp.sector == Sector.LOCAL_SERVICES and centre.sector == Sector.COMMUNITY
    sister = services.actor_create(
        actor=demo.users["facilitator"], name="Sam's sister", kind="family", person=demo.sam
    )
    assert sister.private and sister.sector == Sector.PERSON_FAMILY
    assert sister.label_for(False) == "Family" and sister.label_for(True) == "Sam's sister"
    with pytest.raises(ValidationError):
        services.actor_create(actor=None, name="Someone's friend", kind="friend", private=True)


def test_marking_a_link_makes_it_or_changes_it_and_counts_each_mark(demo):
    gp, centre = _gp_and_centre(demo)
    link = services.link_mark(
        actor=None, from_actor=gp, to_actor=centre, kind="referral", status="broken"
    )
    assert (link.status, link.times_marked) == ("broken", 1)
    link = services.link_mark(
        actor=None, from_actor=gp, to_actor=centre, kind="referral", status="missing"
    )
    assert (link.status, link.times_marked) == ("missing", 2)
    assert Link.objects.filter(from_actor=gp, to_actor=centre).count() == 1
    with pytest.raises(ValidationError):
        services.link_mark(actor=None, from_actor=gp, to_actor=gp, kind="support", status="broken")
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(from_actor=gp, to_actor=gp, kind="support")


def test_marks_in_bulk_agree_with_marks_one_by_one(demo):
    gp, centre = _gp_and_centre(demo)
    services.link_mark(actor=None, from_actor=gp, to_actor=centre, kind="support", status="working")
    marks = [
        services.LinkMark(gp.pk, centre.pk, "support", "broken"),
        services.LinkMark(gp.pk, centre.pk, "support", "missing"),
        services.LinkMark(centre.pk, gp.pk, "information", "missing"),
        services.LinkMark(gp.pk, gp.pk, "support", "broken"),  # no link to itself
    ]
    assert services.links_mark_bulk(actor=None, marks=marks) == 2
    there = Link.objects.get(from_actor=gp, to_actor=centre, kind="support")
    assert (there.status, there.times_marked) == ("missing", 3)
    back = Link.objects.get(from_actor=centre, to_actor=gp)
    assert (back.status, back.times_marked, back.kind) == ("missing", 1, "information")


def test_a_person_sees_shared_actors_and_their_own_private_ones_only(demo):
    actor = demo.users["facilitator"]
    other = person_create(actor=actor, alias="Other", home_lsoa=demo.sam.home_lsoa)
    theirs = services.actor_create(actor=actor, name="Other's brother", kind="family", person=other)
    choices = set(selectors.actors_for_person(demo.sam))
    assert theirs not in choices
    assert Actor.objects.get(name="The postman") in choices
    assert Actor.objects.get(name="Sam's family") in choices
    assert selectors.actor_find(name="the POSTMAN", kind="everyday_contact") is not None
    assert services.actor_for_person(actor=actor, person=other).kind == "person"
    assert services.actor_for_person(actor=actor, person=other) == services.actor_for_person(
        actor=actor, person=other
    )
