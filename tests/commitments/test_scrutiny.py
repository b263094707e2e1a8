"""Community scrutiny: community members ask and judge updates, the owner answers, facilitators
moderate with a reason, every moderation is audited, and a hidden question cannot be answered."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from hct.commitments import scrutiny
from hct.commitments.models import ERROR_HIDE_NEEDS_REASON, Answer, PublicComment, Update
from hct.core.models import AuditEvent
from tests.commitments.helpers import NHS
from tests.people.helpers import facilitator

pytestmark = pytest.mark.django_db

QUESTION = "Will the drop-in carry on in the school holidays?"


def _ask(demo, text="Is there a lift to the room?"):
    return scrutiny.question_ask(actor=demo.users["sam"], commitment=demo.commitment, text=text)


def test_only_community_members_ask_and_a_question_needs_words(demo):
    with pytest.raises(ValidationError) as caught:
        scrutiny.question_ask(
            actor=demo.users["partner"], commitment=demo.commitment, text="Marking my own work?"
        )
    assert caught.value.messages == [scrutiny.ERROR_COMMUNITY_ONLY]
    with pytest.raises(ValidationError):
        _ask(demo, text="   ")
    assert demo.commitment.public_comments.filter(kind="question").count() == 1  # the demo's


def test_the_owner_answers_and_someone_outside_it_cannot(demo):
    question = _ask(demo)
    with pytest.raises(ValidationError) as caught:
        scrutiny.answer_give(actor=demo.users["facilitator"], question=question, text="Yes")
    assert caught.value.messages == [scrutiny.ERROR_NOT_OWNER.format(owner=NHS)]
    scrutiny.answer_give(actor=demo.users["partner"], question=question, text="Yes, there is.")
    assert [a.text for a in question.answers.all()] == ["Yes, there is."]


def test_a_reply_to_a_hidden_question_is_refused_and_nothing_changes(demo):
    question = _ask(demo)
    scrutiny.contribution_hide(
        actor=demo.users["facilitator"], contribution=question, reason="It named a neighbour"
    )
    answers = Answer.objects.count()
    with pytest.raises(ValidationError) as caught:
        scrutiny.answer_give(actor=demo.users["partner"], question=question, text="Answer")
    assert caught.value.messages == [scrutiny.ERROR_ANSWER_HIDDEN]
    assert Answer.objects.count() == answers


def test_hiding_needs_a_reason_and_a_facilitator_of_the_neighbourhood(demo):
    question = _ask(demo)
    with pytest.raises(ValidationError) as caught:
        scrutiny.contribution_hide(
            actor=demo.users["facilitator"], contribution=question, reason=""
        )
    assert caught.value.message_dict["reason"] == [ERROR_HIDE_NEEDS_REASON]
    elsewhere = facilitator(demo, "elsewhere", [demo.other_neighbourhood])
    with pytest.raises(ValidationError) as caught:
        scrutiny.contribution_hide(actor=elsewhere, contribution=question, reason="Rude")
    assert caught.value.messages == [scrutiny.ERROR_NOT_A_MODERATOR]
    question.refresh_from_db()
    assert not question.hidden


def test_every_moderation_is_audited_and_deals_with_the_reports(demo):
    question = _ask(demo)
    scrutiny.contribution_flag(actor=demo.users["partner"], contribution=question, reason="Off")
    with pytest.raises(ValidationError) as caught:
        scrutiny.contribution_flag(actor=demo.users["partner"], contribution=question)
    assert caught.value.messages == [scrutiny.ERROR_ALREADY_FLAGGED]
    scrutiny.contribution_hide(actor=demo.users["facilitator"], contribution=question, reason="x")
    assert not question.flags.filter(dealt_with=False).exists()
    with pytest.raises(ValidationError):
        scrutiny.contribution_hide(
            actor=demo.users["facilitator"], contribution=question, reason="x"
        )
    scrutiny.contribution_restore(actor=demo.users["facilitator"], contribution=question)
    question.refresh_from_db()
    assert not question.hidden and question.hidden_reason == ""
    verbs = list(
        AuditEvent.objects.filter(subject_id=str(question.pk), verb__startswith="commitment.cont")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "commitment.contribution.flag",
        "commitment.contribution.hide",
        "commitment.contribution.restore",
    ]


def test_feedback_is_one_per_person_per_update_and_a_person_may_change_their_mind(demo):
    update = demo.commitment_update
    mine = scrutiny.feedback_give(actor=demo.users["sam"], update=update, verdict="partly")
    assert mine.verdict == "partly"
    assert PublicComment.objects.filter(update=update, author=demo.users["sam"]).count() == 1
    with pytest.raises(ValidationError):
        scrutiny.feedback_give(actor=demo.users["sam"], update=update, verdict="maybe")
    note = Update.objects.create(commitment=demo.commitment, kind="note", on=update.on, note="x")
    with pytest.raises(ValidationError) as caught:
        scrutiny.feedback_give(actor=demo.users["sam"], update=note, verdict="yes")
    assert caught.value.message_dict["update"] == [scrutiny.ERROR_FEEDBACK_ON_A_NOTE]


def test_the_public_page_shows_questions_without_names_and_feedback_only_as_published_counts(
    demo,
):
    html = Client().get(reverse("commitments:public-commitment", args=[demo.commitment.pk]))
    html = html.content.decode()
    assert escape(QUESTION) in html and "A community member asked" in html
    assert "Yes. It runs every Tuesday of the year" in html
    # One person said yes: a count of people from 1 to 7 is hidden; their words are not public.
    assert "Is this what the community asked for? Yes, this is what we asked for: *" in html
    assert "after my cup of tea" not in html


def test_a_hidden_question_shows_only_that_it_was_hidden_and_its_writer_sees_why(demo, client_for):
    question = _ask(demo, text="Ask the neighbour at number 12")
    scrutiny.contribution_hide(
        actor=demo.users["facilitator"], contribution=question, reason="It names someone's home"
    )
    url = reverse("commitments:public-commitment", args=[demo.commitment.pk])
    public = Client().get(url).content.decode()
    assert "number 12" not in public and "was hidden by a moderator" in public
    assert "It names someone" not in public
    own = client_for("community").get(url).content.decode()
    assert "Your question was hidden because: It names someone&#x27;s home" in own


def test_answering_a_hidden_question_on_the_page_says_why_not(demo, client_for):
    question = _ask(demo)
    scrutiny.contribution_hide(actor=demo.users["facilitator"], contribution=question, reason="x")
    response = client_for("partner").post(
        reverse("commitments:answer", args=[question.pk]), {"text": "An answer"}
    )
    assert response.status_code == 200
    assert escape(scrutiny.ERROR_ANSWER_HIDDEN) in response.content.decode()
    assert not question.answers.exists()


def test_a_community_member_asks_and_judges_an_update_through_the_pages(demo, client_for):
    client = client_for("community")
    response = client.post(
        reverse("commitments:ask", args=[demo.commitment.pk]), {"text": "Is it free?"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("commitments:feedback", args=[demo.commitment_update.pk]), {"verdict": ""}
    )
    assert escape("Say whether the update is what you asked for") in response.content.decode()
    response = client.post(
        reverse("commitments:feedback", args=[demo.commitment_update.pk]),
        {"verdict": "no", "text": "Too early in the morning"},
    )
    assert response.status_code == 302
    mine = PublicComment.objects.get(update=demo.commitment_update, author=demo.users["sam"])
    assert (mine.verdict, mine.text) == ("no", "Too early in the morning")


def test_the_moderation_page_puts_reported_contributions_first(demo, client_for):
    first = _ask(demo, text="First")
    _ask(demo, text="Second, not reported")
    scrutiny.contribution_flag(actor=demo.users["partner"], contribution=first)
    html = client_for("facilitator").get(reverse("commitments:moderation")).content.decode()
    assert html.index("Question: First") < html.index("Question: Second, not reported")


def test_the_owners_are_emailed_a_new_question_without_who_asked(
    demo, django_capture_on_commit_callbacks
):
    from django.core import mail

    demo.users["partner"].email = "head.of.iapt@example.org"
    demo.users["partner"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _ask(demo, text="Is there a lift to the room?")
    sent = mail.outbox[-1]
    assert sent.to == ["head.of.iapt@example.org"]
    assert "Is there a lift to the room?" in sent.body
    assert "Sam" not in sent.body and "sam" not in sent.body
