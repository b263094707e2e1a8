import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.learning import evidence, services
from hct.learning.models import Lesson
from hct.learning.selectors import lessons_before
from hct.partnership.models import Cycle

TEXT = {
    "tried": "Tried",
    "happened": "Happened",
    "learned": "Learned a thing",
    "differently": "Differently",
}


def test_a_lesson_links_the_evidence_it_rests_on(demo):
    cycle = demo.first_cycle
    choices = [value for _, options in services.evidence_choices(cycle) for value, _ in options]
    note = next(v for v in choices if v.startswith("field_note:"))
    gap = next(v for v in choices if v.startswith("gap:"))
    lesson = services.lesson_create(
        actor=demo.users["facilitator"], cycle=cycle, evidence=[note, gap], **TEXT
    )
    assert sorted(lesson.evidence.values_list("kind", flat=True)) == ["field_note", "gap"]
    # Gaps are named by kind and journey number, never by the person's alias.
    label = lesson.evidence.get(kind="gap").label
    assert "Sam" not in label and "journey" in label


def test_evidence_the_cycle_cannot_cite_writes_nothing(demo):
    before = Lesson.objects.count()
    with pytest.raises(ValidationError) as error:
        services.lesson_create(
            actor=demo.users["facilitator"], cycle=demo.first_cycle, evidence=["gap:999999"], **TEXT
        )
    assert error.value.message_dict == {"evidence": [services.ERROR_UNKNOWN_EVIDENCE]}
    assert Lesson.objects.count() == before


def test_the_next_cycle_starts_with_the_lessons_of_the_ones_before(demo, client_for):
    first = demo.first_cycle
    services.lesson_create(
        actor=demo.users["facilitator"], cycle=first, **{**TEXT, "learned": "Be useful first"}
    )
    second = Cycle.objects.get(partnership=demo.partnership, number=2)
    assert any(lesson.learned == "Be useful first" for lesson in lessons_before(second))
    assert not any(lesson.learned == "Be useful first" for lesson in lessons_before(first))
    page = (
        client_for("facilitator").get(reverse("learning:cycle", args=[second.pk])).content.decode()
    )
    assert (
        page.index("Lessons of earlier cycles")
        < page.index("Be useful first")
        < page.index("Learning log")
    )
    # The board reads the lessons too, but not the field notes (only how many were written).
    board = client_for("board").get(reverse("learning:cycle", args=[first.pk])).content.decode()
    assert "Be useful first" in board and 'id="field-notes"' not in board
    assert "Write a field note" not in board


def test_another_app_registers_a_kind_of_evidence(demo):
    evidence.register(
        evidence.EvidenceKind(
            "test_commitment", "Commitment", 50, lambda cycle: [("7", "Keep the GP open late")]
        )
    )
    try:
        lesson = services.lesson_create(
            actor=demo.users["facilitator"],
            cycle=demo.first_cycle,
            evidence=["test_commitment:7"],
            **TEXT,
        )
        assert lesson.evidence.get().label == "Keep the GP open late"
    finally:
        evidence._kinds.pop("test_commitment")


def test_writing_a_lesson_through_the_page(demo, client_for):
    client = client_for("facilitator")
    url = reverse("learning:lesson-create", args=[demo.first_cycle.pk])
    response = client.post(url, {**TEXT, "learned": ""})
    assert "Fill in “What we learned”" in response.content.decode()
    response = client.post(url, {**TEXT, "stage": "dive_in"})
    assert response.url == reverse("learning:cycle", args=[demo.first_cycle.pk])
    assert Lesson.objects.filter(learned="Learned a thing", stage="dive_in").exists()
