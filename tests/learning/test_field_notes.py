import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.directory.models import Service
from hct.learning import services
from hct.learning.models import ERROR_ASSET_PLACE, ERROR_USEFUL_EMPTY, AssetFound, FieldNote
from hct.places.models import Lsoa
from hct.systemmap.models import Actor


def _note(demo):
    return services.field_note_create(
        actor=demo.users["facilitator"],
        cycle=demo.first_cycle,
        written_on=dt.date(2025, 10, 30),
        where_useful="Fixed a TV aerial",
    )


def test_an_asset_goes_to_the_directory_and_the_system_map_in_one_step(demo):
    note = _note(demo)
    lsoa = demo.first_neighbourhood.lsoas.order_by("code").first()
    asset = services.asset_found_add(
        actor=demo.users["facilitator"],
        field_note=note,
        name="Tuesday coffee morning",
        kind=AssetFound.Kind.COMMUNITY_GROUP,
        lsoa=lsoa,
        description="Coffee and a chat",
        run_by="St Mary's",
    )
    service = Service.objects.get(pk=asset.service_id)
    assert service.community_asset and service.name == "Tuesday coffee morning"
    # At its LSOA's centre, never a street address.
    location = service.service_at_locations.get().location
    assert (location.latitude, location.longitude, location.lsoa) == (
        lsoa.latitude,
        lsoa.longitude,
        lsoa,
    )
    actor = Actor.objects.get(pk=asset.system_actor_id)
    assert (actor.kind, actor.neighbourhood, actor.private) == (
        Actor.Kind.COMMUNITY_GROUP,
        demo.first_neighbourhood,
        False,
    )
    assert AuditEvent.objects.filter(
        verb="learning.asset_found.add", subject_id=str(asset.pk)
    ).exists()


def test_an_asset_outside_the_neighbourhood_writes_nothing(demo):
    note = _note(demo)
    outside = Lsoa.objects.exclude(neighbourhoods=demo.first_neighbourhood).first()
    before = (Service.objects.count(), Actor.objects.count(), AssetFound.objects.count())
    with pytest.raises(ValidationError) as error:
        services.asset_found_add(
            actor=demo.users["facilitator"],
            field_note=note,
            name="Elsewhere",
            kind=AssetFound.Kind.BUSINESS,
            lsoa=outside,
        )
    assert error.value.message_dict == {"lsoa": [ERROR_ASSET_PLACE]}
    assert (Service.objects.count(), Actor.objects.count(), AssetFound.objects.count()) == before


def test_a_field_note_says_where_the_team_was_useful(demo):
    with pytest.raises(ValidationError) as error:
        services.field_note_create(
            actor=demo.users["facilitator"],
            cycle=demo.first_cycle,
            written_on=dt.date(2025, 10, 1),
            where_useful="  ",
        )
    assert error.value.message_dict == {"where_useful": [ERROR_USEFUL_EMPTY]}


def test_the_facilitator_writes_a_note_and_adds_an_asset_through_the_pages(demo, client_for):
    client = client_for("facilitator")
    response = client.post(
        reverse("learning:field-note-create", args=[demo.first_cycle.pk]),
        {
            "written_on": "2025-10-31",
            "where_useful": "Helped at the charity shop",
            "who_we_met": "",
            "what_we_noticed": "",
        },
    )
    note = FieldNote.objects.get(where_useful="Helped at the charity shop")
    assert response.url == reverse("learning:field-note", args=[note.pk])
    lsoa = demo.first_neighbourhood.lsoas.order_by("code").first()
    response = client.post(
        reverse("learning:asset-add", args=[note.pk]),
        {
            "name": "Knit and natter",
            "kind": "community_group",
            "lsoa": lsoa.code,
            "to_directory": "on",
            "to_map": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("learning:field-note", args=[note.pk])).content.decode()
    assert "Knit and natter" in page


def test_a_bad_field_note_says_what_is_wrong_and_where(demo, client_for):
    response = client_for("facilitator").post(
        reverse("learning:field-note-create", args=[demo.first_cycle.pk]),
        {"written_on": "31/31/2025", "where_useful": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real date, like 2026-03-27" in page
    assert "Fill in “Where we were useful”" in page
    assert 'href="#id_where_useful"' in page
    assert not FieldNote.objects.filter(written_on=dt.date(2025, 12, 31)).exists()
