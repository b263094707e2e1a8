import datetime as dt

from django.urls import reverse

from hct.learning import services
from hct.learning.themes import Passage, find_themes, passages_in, themes_across, to_look_for
from hct.partnership.models import Cycle
from hct.people.models import Purpose
from hct.people.services import consent_withdraw
from hct.places.models import Neighbourhood

NAMES = {1: "North", 2: "South", 3: "East"}
WAIT = [
    "The waiting list for counselling was months long",
    "Months on the waiting list before counselling started",
    "Nobody told me how long the waiting list for counselling was",
]
TEA = [
    "A cup of tea at the community centre every morning",
    "The community centre tea and a chat kept me going",
    "Tea at the community centre with a friendly face",
]


def test_a_theme_heard_in_two_places_recurs_and_is_looked_for_in_the_third():
    passages = [
        Passage("Quote", 1, WAIT[0]),
        Passage("Quote", 2, WAIT[1]),
        Passage("Lesson", 2, WAIT[2]),
    ]
    passages += [Passage("Quote", 3, text) for text in TEA]
    themes = find_themes(passages, NAMES)
    waiting = next(t for t in themes if "waiting" in t.words or "counselling" in t.words)
    assert waiting.places == ["North", "South"] and waiting.recurs
    assert {p.text for p, _ in waiting.passages} == set(WAIT)
    tea = next(t for t in themes if "tea" in t.words or "centre" in t.words)
    assert tea.places == ["East"] and not tea.recurs
    east = Neighbourhood(pk=3, name="East")
    assert waiting in to_look_for(themes, east) and tea not in to_look_for(themes, east)
    # The same passages give the same themes.
    assert [t.words for t in find_themes(passages, NAMES)] == [t.words for t in themes]


def test_too_little_text_gives_no_themes():
    assert find_themes([Passage("Quote", 1, "tea")], NAMES) == []
    assert find_themes([Passage("Quote", 1, "the and of")] * 5, NAMES) == []


def test_quotes_are_passages_only_while_their_owner_agrees(demo):
    first = demo.first_neighbourhood
    second = Cycle.objects.get(partnership=demo.partnership, number=2)
    for text in WAIT:
        services.lesson_create(
            actor=demo.users["facilitator"],
            cycle=second,
            tried="t",
            happened="h",
            learned=text,
            differently="d",
        )
    quote = demo.sam_quote.text
    assert quote in {p.text for p in passages_in([first.pk])}
    assert themes_across([first, second.neighbourhood])
    consent_withdraw(
        actor=demo.users["facilitator"],
        person=demo.sam,
        purpose=Purpose.SHARE_WITH_PARTNERS,
        on=dt.date(2026, 11, 1),
    )
    assert quote not in {p.text for p in passages_in([first.pk])}
    after = themes_across([first, second.neighbourhood])
    assert not any(quote == p.text for t in after for p, _ in t.passages)


def test_the_page_names_places_never_people(demo, client_for):
    page = client_for("board").get(reverse("learning:themes")).content.decode()
    assert "What we keep hearing" in page
    assert "Sam" not in page


def test_big_conversations_are_heard_without_the_aliases_of_people(demo):
    from hct.conversations.models import Contribution, IcebergItem

    first = demo.first_neighbourhood
    passages = passages_in([first.pk])
    said = [p for p in passages if p.source == "Said at a Big Conversation"]
    items = [p for p in passages if p.source == "Iceberg item"]
    assert (
        len(said) == Contribution.objects.filter(conversation__cycle__neighbourhood=first).count()
    )
    assert (
        len(items)
        == IcebergItem.objects.filter(
            conversation__cycle__neighbourhood=first, merged_into__isnull=True
        ).count()
    )
    assert said and items
    assert not any("Sam" in p.text for p in said + items)
