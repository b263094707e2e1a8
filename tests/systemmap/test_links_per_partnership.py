"""Links drawn by hand belong to the partnership whose map they were drawn on (issue 14 item
5): two partnerships in one ward share the actors nobody owns (a service, the postman), but
neither sees the links the other drew between them, and each may draw its own."""

import pytest
from django.core.exceptions import ValidationError

from hct.systemmap.exchange.write import map_file_for
from hct.systemmap.models import Actor, Link, Sector
from hct.systemmap.selectors import map_counts, neighbourhood_map
from hct.systemmap.services import link_create
from tests.partnership.second import second_partnership

pytestmark = pytest.mark.django_db


def _shared(ward, name):
    return Actor.objects.create(
        name=name, kind=Actor.Kind.LOCAL_SERVICE, sector=Sector.LOCAL_SERVICES, neighbourhood=ward
    )


def _edges(ward, partnership):
    system = neighbourhood_map(ward, with_personal=True, partnership=partnership)
    return {(e.source, e.target, e.kind) for e in system.edges}


def test_a_link_drawn_by_one_partnership_is_not_on_the_others_map(demo):
    ward = demo.first_neighbourhood
    b = second_partnership(ward)
    gp, foodbank = _shared(ward, "Hillside GP"), _shared(ward, "Hillside food bank")
    drawn = link_create(
        actor=b.facilitator, from_actor=gp, to_actor=foodbank, kind=Link.Kind.REFERRAL
    )
    assert drawn.partnership == b.partnership
    key = (gp.pk, foodbank.pk, Link.Kind.REFERRAL)
    assert key in _edges(ward, b.partnership)
    assert key not in _edges(ward, demo.partnership)
    exported = map_file_for(ward, demo.partnership)
    assert (f"a{gp.pk}", f"a{foodbank.pk}") not in {(x.source, x.target) for x in exported.links}
    before = map_counts(ward, with_personal=True, partnership=demo.partnership).links_total
    # A draws the same link on its own map: its own row, shown on its map only once.
    ours = link_create(
        actor=demo.users["facilitator"],
        from_actor=gp,
        to_actor=foodbank,
        kind=Link.Kind.REFERRAL,
        status=Link.Status.BROKEN,
    )
    assert ours.pk != drawn.pk and ours.partnership == demo.partnership
    assert map_counts(ward, with_personal=True, partnership=demo.partnership).links_total == (
        before + 1
    )
    a_map = neighbourhood_map(ward, with_personal=True, partnership=demo.partnership)
    assert [e.status for e in a_map.edges if (e.source, e.target) == (gp.pk, foodbank.pk)] == [
        Link.Status.BROKEN
    ]
    # The same partnership cannot draw it twice.
    with pytest.raises(ValidationError):
        link_create(
            actor=demo.users["facilitator"], from_actor=gp, to_actor=foodbank, kind="referral"
        )


def test_the_map_page_of_one_partnership_shows_none_of_the_others_links(demo, client_for):
    from django.urls import reverse

    from hct.core.roles import Role

    ward = demo.first_neighbourhood
    b = second_partnership(ward)
    gp, foodbank = _shared(ward, "Hillside GP"), _shared(ward, "Hillside food bank")
    link = link_create(
        actor=b.facilitator,
        from_actor=gp,
        to_actor=foodbank,
        kind=Link.Kind.REFERRAL,
        note="Quillon's referral route",
    )
    facilitator = client_for(Role.FACILITATOR)
    page = facilitator.get(reverse("systemmap:map", args=[ward.slug])).content.decode()
    assert "Hillside GP" in page
    assert "Quillon&#x27;s referral route" not in page and "Quillon's referral route" not in page
    edit = reverse("systemmap:link-edit", args=[ward.slug, link.pk])
    assert facilitator.get(edit).status_code == 404
