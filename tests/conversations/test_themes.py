"""Theme suggestions on a small fixed corpus whose themes are known, and on hostile input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from hct.conversations.themes import passages_of, suggest

WAITING = [
    "The waiting list for therapy was eight months long",
    "I waited months on the waiting list before anyone called",
    "Long waits for talking therapies made things worse",
    "Months on a waiting list with no word from anyone",
]
COMPANY = [
    "The postman stopped for a chat every day and that kept me going",
    "A daily chat with the postman and a cup of tea at the centre",
    "Cup of tea at the community centre with neighbours every morning",
    "Tea and a chat at the centre: a friendly face every day",
]
PRACTICAL = [
    "Nobody helped me walk the dog when I was in hospital",
    "Looking after the dog and shopping were impossible alone",
    "Practical help with shopping and the dog would have kept me well",
    "Someone to walk my dog and carry the shopping home",
]
CORPUS = [("contribution", i, t) for i, t in enumerate(WAITING + COMPANY + PRACTICAL)]


def test_known_themes_are_found_with_their_own_passages():
    themes = suggest(CORPUS, n_themes=3)
    assert len(themes) == 3
    groups = {0: set(range(0, 4)), 1: set(range(4, 8)), 2: set(range(8, 12))}
    found = []
    for theme in themes:
        ids = {p["id"] for p in theme.passages}
        owner = [g for g, members in groups.items() if ids <= members]
        assert len(owner) == 1, (theme.label, ids)
        found.append(owner[0])
    assert sorted(found) == [0, 1, 2]
    labels = " ".join(t.label for t in themes)
    for word in ("waiting", "dog", "tea"):
        assert word in labels


def test_the_same_texts_always_give_the_same_themes():
    first = suggest(CORPUS, n_themes=3)
    again = suggest(list(CORPUS), n_themes=3)
    assert [(t.label, t.passages) for t in first] == [(t.label, t.passages) for t in again]


def test_a_story_is_cut_into_passages_that_point_back_to_it():
    story = (
        "The postman stopped every day. It was a lifeline.\n\nThe queue for counselling went on."
    )
    passages = passages_of([("story", 7, story)])
    assert [p.text for p in passages] == [
        "The postman stopped every day.",
        "It was a lifeline.",
        "The queue for counselling went on.",
    ]
    assert {p.id for p in passages} == {7}


def test_repeats_and_scraps_are_left_out():
    passages = passages_of(
        [
            ("contribution", 1, "Same words here"),
            ("contribution", 2, "same words HERE"),
            ("contribution", 3, "ok"),
        ]
    )
    assert [p.id for p in passages] == [1]


def test_too_little_text_suggests_nothing():
    assert suggest([]) == []
    assert suggest([("contribution", 1, "Only one thing said")]) == []
    assert (
        suggest([("contribution", 1, "the and of it"), ("contribution", 2, "and the it of")]) == []
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=12))
def test_any_text_gives_themes_whose_passages_come_from_it(texts):
    corpus = [("contribution", i, t) for i, t in enumerate(texts)]
    for theme in suggest(corpus):
        assert theme.label
        for passage in theme.passages:
            assert passage["text"] in texts[passage["id"]]
