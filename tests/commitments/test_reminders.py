"""`hct remind`: owners are emailed before the due date and when overdue, a note is posted on
the commitment, and running it twice sends nothing twice."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from hct.commitments import reminders
from hct.commitments.models import Commitment, Update
from hct.core.models import AuditEvent
from tests.commitments.helpers import make

pytestmark = pytest.mark.django_db

CHECKLIST = "The discharge checklist names a community contact"  # NHS, due 31 December 2026
FLY_TIPPING = "Clear fly-tipping from the river path"  # the council's, due 31 October 2026
DAY = dt.date(2026, 12, 20)


@pytest.fixture
def partner_email(demo):
    demo.users["partner"].email = "head.of.iapt@example.org"
    demo.users["partner"].save(update_fields=["email"])


def _notes() -> int:
    return Update.objects.filter(kind=Update.Kind.NOTE).count()


def test_owners_are_emailed_before_the_due_date_and_a_note_is_posted(demo, partner_email):
    result = reminders.remind(today=DAY)
    checklist = Commitment.objects.get(title=CHECKLIST)
    assert checklist.pk in result.due_soon
    sent = [m for m in mail.outbox if CHECKLIST in m.subject]
    assert len(sent) == 1
    assert sent[0].to == ["head.of.iapt@example.org"]
    assert sent[0].subject == f"Due in 11 days: {CHECKLIST}"
    note = checklist.updates.get(kind=Update.Kind.NOTE)
    assert note.note.startswith("Reminder sent to Coventry and Warwickshire Partnership NHS Trust")


def test_an_overdue_commitment_with_no_one_to_email_still_gets_its_note(demo, partner_email):
    result = reminders.remind(today=DAY)
    fly_tipping = Commitment.objects.get(title__startswith=FLY_TIPPING)
    assert fly_tipping.pk in result.overdue and fly_tipping.pk in result.no_one_to_tell
    assert "was due on 31 October 2026" in fly_tipping.updates.get(kind="note").note
    assert AuditEvent.objects.filter(
        verb="commitment.remind.overdue", subject_id=str(fly_tipping.pk)
    ).exists()


def test_running_twice_sends_nothing_twice(demo, partner_email):
    reminders.remind(today=DAY)
    emails, notes = len(mail.outbox), _notes()
    again = reminders.remind(today=DAY)
    later = reminders.remind(today=DAY + dt.timedelta(days=3))
    assert (again.due_soon, again.overdue, again.emails) == ([], [], 0)
    assert (later.due_soon, later.overdue, later.emails) == ([], [], 0)
    assert (len(mail.outbox), _notes()) == (emails, notes)


def test_the_overdue_reminder_follows_the_due_soon_one_and_a_new_due_date_is_reminded(
    demo, partner_email
):
    commitment = make(demo, made_on=dt.date(2026, 12, 1), due_on=dt.date(2026, 12, 25))
    assert commitment.pk in reminders.remind(today=DAY).due_soon
    assert commitment.pk in reminders.remind(today=dt.date(2026, 12, 26)).overdue
    Commitment.objects.filter(pk=commitment.pk).update(due_on=dt.date(2027, 1, 5))
    assert commitment.pk in reminders.remind(today=dt.date(2026, 12, 27)).due_soon
    assert commitment.updates.filter(kind="note").count() == 3


def test_due_today_is_due_soon_not_overdue(demo, partner_email):
    commitment = make(demo, made_on=dt.date(2026, 12, 1), due_on=DAY)
    result = reminders.remind(today=DAY)
    assert commitment.pk in result.due_soon and commitment.pk not in result.overdue
    assert any(m.subject == "Due today: A test promise" for m in mail.outbox)


def test_an_email_that_fails_leaves_no_note_so_the_next_run_tries_again(
    demo, partner_email, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(ConnectionError):
        reminders.remind(today=DAY)
    checklist = Commitment.objects.get(title=CHECKLIST)
    assert not checklist.updates.filter(kind="note").exists()
    monkeypatch.undo()
    assert checklist.pk in reminders.remind(today=DAY).due_soon


def test_the_command_reports_what_it_did_and_refuses_a_bad_date(demo, partner_email):
    out = io.StringIO()
    call_command("remind", "--today", DAY.isoformat(), stdout=out)
    # Due soon: the discharge checklist; overdue: the fly-tipping and the rebooking promises.
    assert out.getvalue().startswith("Reminders: 1 due soon, 2 overdue; 2 email(s) sent")
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", "--today", "27/11/2026")


def test_hct_remind_runs_as_cron_would_and_twice_is_harmless(tmp_path):
    from tests.core.test_cli_and_settings import _run

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'remind.db'}"}
    assert "usage: hct remind" in _run("remind", "--help").stdout
    for _ in range(2):
        result = _run("remind", "--today", "2026-12-20", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "Reminders: 0 due soon, 0 overdue; 0 email(s) sent"
    bad = _run("remind", "--today", "tomorrow", env=env)
    assert bad.returncode == 1 and "not a date" in bad.stderr
