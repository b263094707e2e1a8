"""What we keep hearing: themes that recur across neighbourhoods, with the places and passages
behind each.

Passages come from registered sources, each of which says which of its passages may be shown
beyond the person's facilitators: quotes people agreed to share (while they agree), what the
team noticed in field notes, the learning log's lessons, and what was said at Big Conversations
(contributions, never the speaker's name) and put on their iceberg boards. Themes are found with
TF-IDF and NMF (scikit-learn, fixed seed: the same passages give the same themes), the method of
the Big Conversations' theme suggestions, run across every neighbourhood at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from hct.places.models import Neighbourhood

MAX_THEMES = 8
WORDS_PER_THEME = 5
PASSAGES_PER_THEME = 6
# A passage belongs to a theme when the theme holds at least this share of its weight.
MEMBERSHIP = 0.35


@dataclass(frozen=True)
class Passage:
    source: str  # "Quote", "Field note" …
    neighbourhood_id: int
    text: str


@dataclass
class Theme:
    words: list[str]
    passages: list[tuple[Passage, str]] = field(default_factory=list)  # passage, place name
    places: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ", ".join(self.words)

    @property
    def recurs(self) -> bool:
        return len(self.places) > 1


_sources: dict[str, Callable[[list[int], list[int] | None], list[Passage]]] = {}


def register_source(
    key: str, passages: Callable[[list[int], list[int] | None], list[Passage]]
) -> None:
    _sources[key] = passages


def passages_in(
    neighbourhood_ids: list[int],
    partnership_ids: list[int] | None = None,
    story_ids: list[int] | None = None,
) -> list[Passage]:
    """The passages heard in these neighbourhoods, by these partnerships only when given (two
    partnerships may work in one ward: neither hears the other's rooms, notes or quotes); with
    `story_ids`, only the quoted passages of those stories (the other sources are not anyone's
    story)."""
    if story_ids is not None:
        return _quotes(neighbourhood_ids, partnership_ids, story_ids)
    found: list[Passage] = []
    for key in sorted(_sources):
        found += _sources[key](neighbourhood_ids, partnership_ids)
    return found


def _of(partnership_ids: list[int] | None, field: str) -> dict:
    return {} if partnership_ids is None else {f"{field}__in": partnership_ids}


def find_themes(passages: list[Passage], names: dict[int, str]) -> list[Theme]:
    """Themes across the passages, most widespread first; none when there is too little text.

    The model is fitted on the distinct texts (the same words said in many places are one
    document, so repetition cannot swamp the rest) and every passage then takes its text's
    themes."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = sorted({p.text for p in passages})
    if len(texts) < 4:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", max_df=0.8, min_df=1, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return []
    count = max(2, min(MAX_THEMES, len(texts) // 3, matrix.shape[1] - 1))
    model = NMF(n_components=count, init="nndsvda", random_state=0, max_iter=300)
    weights = model.fit_transform(matrix)
    row_of = {text: row for row, text in enumerate(texts)}
    vocabulary = vectorizer.get_feature_names_out()
    themes = []
    for index, component in enumerate(model.components_):
        words = [vocabulary[i] for i in component.argsort()[::-1][:WORDS_PER_THEME]]
        members = []
        for order, passage in enumerate(passages):
            row = weights[row_of[passage.text]]
            total = row.sum()
            if total > 0 and row[index] / total >= MEMBERSHIP:
                members.append((row[index], order, passage))
        if not members:
            continue
        members.sort(key=lambda m: (-m[0], m[1]))
        theme = Theme(words=words)
        theme.places = sorted({names[p.neighbourhood_id] for _, _, p in members})
        shown: list[tuple[Passage, str]] = []
        seen: set[tuple[str, int]] = set()
        for _, _, p in members:  # one of each text per place is enough to read
            if (p.text, p.neighbourhood_id) not in seen and len(shown) < PASSAGES_PER_THEME:
                seen.add((p.text, p.neighbourhood_id))
                shown.append((p, names[p.neighbourhood_id]))
        theme.passages = shown
        themes.append(theme)
    themes.sort(key=lambda t: (-len(t.places), -len(t.passages), t.label))
    return themes


def themes_across(
    neighbourhoods: list[Neighbourhood],
    partnership_ids: list[int] | None = None,
    story_ids: list[int] | None = None,
) -> list[Theme]:
    """The themes of these neighbourhoods' passages, kept in the cache under a digest of the
    passages themselves: new or withdrawn text gives a new digest, so nothing stale is shown."""
    import hashlib

    from django.core.cache import cache

    names = {n.pk: n.name for n in neighbourhoods}
    passages = passages_in(list(names), partnership_ids, story_ids)
    digest = hashlib.sha256(usedforsecurity=False)
    for p in passages:
        digest.update(f"{p.source}\x1f{p.neighbourhood_id}\x1f{p.text}\x1e".encode())
    for pk, name in sorted(names.items()):
        digest.update(f"{pk}={name};".encode())
    key = f"learning:themes:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = find_themes(passages, names)
        cache.set(key, found, 60 * 60)
    return found


def to_look_for(themes: list[Theme], neighbourhood: Neighbourhood) -> list[Theme]:
    """Themes heard elsewhere and not yet here: what to listen for in this neighbourhood."""
    return [t for t in themes if t.places and neighbourhood.name not in t.places]


# The sources on main.


def _quotes(
    ids: list[int], partnerships: list[int] | None = None, story_ids: list[int] | None = None
) -> list[Passage]:
    """Passages people agreed may be quoted, only while they agree to share with partners."""
    from hct.journeys.models import Quote
    from hct.people.models import Purpose
    from hct.people.selectors import current_consents

    consenting = current_consents(Purpose.SHARE_WITH_PARTNERS).values("person_id")
    quotes = Quote.objects.all() if story_ids is None else Quote.objects.filter(story__in=story_ids)
    rows = (
        quotes.filter(
            story__person__in=consenting,
            story__person__home_lsoa__neighbourhoods__in=ids,
            **_of(partnerships, "story__person__partnership"),
        )
        .values_list("text", "story__person__home_lsoa__neighbourhoods")
        .order_by("id")
    )
    return [Passage("Quote", nid, text) for text, nid in rows]


def _field_notes(ids: list[int], partnerships: list[int] | None = None) -> list[Passage]:
    from hct.learning.models import FieldNote

    rows = (
        FieldNote.objects.filter(
            cycle__neighbourhood__in=ids, synthetic=False, **_of(partnerships, "cycle__partnership")
        )
        .exclude(what_we_noticed="")
        .values_list("what_we_noticed", "cycle__neighbourhood")
        .order_by("id")
    )
    return [Passage("What the team noticed", nid, text) for text, nid in rows]


def _lessons(ids: list[int], partnerships: list[int] | None = None) -> list[Passage]:
    from hct.learning.models import Lesson

    rows = (
        Lesson.objects.filter(
            cycle__neighbourhood__in=ids, synthetic=False, **_of(partnerships, "cycle__partnership")
        )
        .values_list("learned", "cycle__neighbourhood")
        .order_by("id")
    )
    return [Passage("Lesson", nid, text) for text, nid in rows]


def _contributions(ids: list[int], partnerships: list[int] | None = None) -> list[Passage]:
    """What was said in the room at Big Conversations: said in front of partners, so shareable;
    the text only, never the speaker's name."""
    from hct.conversations.models import Contribution

    rows = (
        Contribution.objects.filter(
            conversation__cycle__neighbourhood__in=ids,
            **_of(partnerships, "conversation__cycle__partnership"),
        )
        .values_list("text", "conversation__cycle__neighbourhood")
        .order_by("id")
    )
    return _without_aliases("Said at a Big Conversation", rows, ids)


def _iceberg_items(ids: list[int], partnerships: list[int] | None = None) -> list[Passage]:
    """Items on the iceberg boards, merged duplicates left out (the item they joined stands)."""
    from hct.conversations.models import IcebergItem

    rows = (
        IcebergItem.objects.filter(
            conversation__cycle__neighbourhood__in=ids,
            merged_into__isnull=True,
            **_of(partnerships, "conversation__cycle__partnership"),
        )
        .values_list("text", "conversation__cycle__neighbourhood")
        .order_by("id")
    )
    return _without_aliases("Iceberg item", rows, ids)


def _without_aliases(source: str, rows, ids: list[int]) -> list[Passage]:
    """What a room said may name the person at its centre: take their alias out, as reports do."""
    from hct.learning.reports.sections import alias_pattern, redact

    pattern = alias_pattern(ids)
    return [Passage(source, nid, redact(text, pattern)) for text, nid in rows]


def register_builtin() -> None:
    register_source("contributions", _contributions)
    register_source("iceberg_items", _iceberg_items)
    register_source("quotes", _quotes)
    register_source("field_notes", _field_notes)
    register_source("lessons", _lessons)
