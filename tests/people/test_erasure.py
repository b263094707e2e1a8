"""Erasure: a person goes from everywhere, the audit keeps counts only, and a restore from a
backup taken before the erasure cannot bring them back for long."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.journeys.models import Gap, Journey, Quote, Story, Touchpoint
from hct.people import services
from hct.people.models import Consent, Erasure, Identity, Need, Person, Strength
from hct.systemmap.models import Actor, Link

pytestmark = pytest.mark.django_db

SAM_WORDS = ("Sam (not his real name)", "complete mental breakdown", "Sam's family")
APPS = ["people", "journeys", "systemmap"]


def _held_about(person_id: int) -> dict[str, int]:
    return {
        "identity": Identity.objects.filter(person_id=person_id).count(),
        "consents": Consent.objects.filter(person_id=person_id).count(),
        "needs": Need.objects.filter(person_id=person_id).count(),
        "strengths": Strength.objects.filter(person_id=person_id).count(),
        "stories": Story.objects.filter(person_id=person_id).count(),
        "quotes": Quote.objects.filter(story__person_id=person_id).count(),
        "journeys": Journey.objects.filter(person_id=person_id).count(),
        "touchpoints": Touchpoint.objects.filter(journey__person_id=person_id).count(),
        "gaps": Gap.objects.filter(journey__person_id=person_id).count(),
        "private actors": Actor.objects.filter(person_id=person_id).count(),
    }


def test_erasing_sam_removes_everything_and_the_audit_holds_no_personal_data(
    client_for, demo, settings
):
    sam = demo.sam
    held = _held_about(sam.pk)
    assert all(held.values()), held
    shared_actors = Actor.objects.filter(person__isnull=True).count()
    response = client_for(Role.FACILITATOR).post(
        reverse("people:erase", args=[sam.pk]), {"confirm": "erase"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=sam.pk).exists()
    assert not any(_held_about(sam.pk).values())
    # The neighbourhood's shared actors (the GP, the postman …) stay; Sam's own go.
    assert Actor.objects.filter(person__isnull=True).count() == shared_actors
    assert not Link.objects.filter(from_actor__person_id=sam.pk).exists()
    event = AuditEvent.objects.get(verb="person.erase", subject_id=str(sam.pk))
    text = json.dumps(event.details)
    assert not any(word in text for word in SAM_WORDS)
    assert event.details["deleted"]["touchpoint"] == held["touchpoints"]
    assert Erasure.objects.filter(person_uuid=sam.uuid).exists()
    ledger = settings.HCT_ERASURE_LEDGER.read_text()
    assert str(sam.uuid) in ledger and "Sam" not in ledger
    # His account stays (accounts are core's), but no longer leads to any record.
    assert client_for(Role.COMMUNITY).get(reverse("people:mine")).status_code == 200
    assert (
        "no record for you"
        in client_for(Role.COMMUNITY).get(reverse("people:mine")).content.decode()
    )


def test_erasure_needs_the_box_ticked_and_a_named_facilitator(client_for, demo):
    client = client_for(Role.FACILITATOR)
    client.post(reverse("people:erase", args=[demo.sam.pk]), {})
    assert Person.objects.filter(pk=demo.sam.pk).exists()
    assert (
        client_for(Role.PARTNER)
        .post(reverse("people:erase", args=[demo.sam.pk]), {"confirm": "erase"})
        .status_code
        == 403
    )
    assert Person.objects.filter(pk=demo.sam.pk).exists()


def test_an_erasure_is_applied_again_after_restoring_an_older_backup(demo, tmp_path):
    sam_id, sam_uuid = demo.sam.pk, demo.sam.uuid
    backup = tmp_path / "backup.json"
    # The backup is taken before the erasure (the erasure list in it is empty of Sam).
    call_command("dumpdata", *APPS, output=str(backup), verbosity=0)
    services.person_erase(actor=demo.users["facilitator"], person=demo.sam)
    assert not Person.objects.filter(pk=sam_id).exists()

    # Restore: everything of these apps goes back to what the backup holds.
    for model in (
        Gap,
        Touchpoint,
        Journey,
        Quote,
        Story,
        Link,
        Actor,
        Consent,
        Need,
        Strength,
        Identity,
        Erasure,
    ):
        model.objects.all().delete()
    Person.objects.all().delete()
    call_command("loaddata", str(backup), verbosity=0)
    assert Person.objects.filter(uuid=sam_uuid).exists(), "the restore brought Sam back"
    assert not Erasure.objects.filter(person_uuid=sam_uuid).exists()

    out = io.StringIO()
    call_command("reapply_erasures", stdout=out)
    assert "Erased again: 1 person" in out.getvalue()
    assert not Person.objects.filter(uuid=sam_uuid).exists()
    assert not Journey.objects.filter(person_id=sam_id).exists()
    assert Erasure.objects.filter(person_uuid=sam_uuid).exists()
    assert AuditEvent.objects.filter(verb="person.erase_reapplied", subject_id=str(sam_id)).exists()
    # Run again, nothing to do.
    out = io.StringIO()
    call_command("reapply_erasures", stdout=out)
    assert "Erased again: 0 people" in out.getvalue()


def test_a_broken_ledger_is_reported_not_ignored(demo, settings):
    from django.core.management.base import CommandError

    settings.HCT_ERASURE_LEDGER.write_text('{"person": "not-a-uuid"}\n')
    with pytest.raises(CommandError, match="line 1: not an erasure record"):
        call_command("reapply_erasures")


def test_importing_an_erased_person_again_is_refused(demo):
    from hct.journeys.exchange import (
        ERROR_PERSON_ERASED,
        ImportProblem,
        export_json,
        import_journeys,
        read_json,
    )

    exported = export_json(Journey.objects.filter(person=demo.sam), sees_private=lambda j: True)
    services.person_erase(actor=demo.users["facilitator"], person=demo.sam)
    with pytest.raises(ImportProblem) as problem:
        import_journeys(read_json(exported), actor=demo.users["facilitator"], file="sam.json")
    assert problem.value.message == ERROR_PERSON_ERASED
