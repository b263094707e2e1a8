import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from hct.core.models import AuditEvent
from hct.core.services import audit_record

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_changed_or_deleted_through_the_orm():
    event = audit_record(actor=None, verb="test.event", details={"count": 1})
    event.verb = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_itself_refuses_to_rewrite_an_event():
    event = audit_record(actor=None, verb="test.event")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_postgresql_refuses_to_delete_an_event_and_sqlite_leaves_deletes_to_flush():
    event = audit_record(actor=None, verb="test.event")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        # SQLite empties tables with DELETE in `manage.py flush`, so only UPDATE has a trigger.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
            )
            assert [row[0] for row in cursor.fetchall()] == ["core_auditevent_no_update"]


def test_the_admin_can_read_but_not_change_the_audit_trail(client_for):
    from django.urls import reverse

    from hct.core.roles import Role

    event = audit_record(actor=None, verb="test.event")
    client = client_for(Role.ADMIN)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_change", args=[event.pk])).status_code == 200
    assert (
        client.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
