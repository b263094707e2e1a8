"""Theme suggestions from what was said: TF-IDF + NMF (scikit-learn), deterministic.

Each contribution is one passage; a story is cut into its paragraphs (or sentences, when it has
few paragraphs) so that a theme can point at the words behind it, not at a whole story. NMF starts
from NNDSVD (no random start), so the same texts always give the same themes. The facilitator
accepts, edits or drops each suggestion: these are prompts for sensemaking, not findings.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

MAX_THEMES = 6
PASSAGES_PER_THEME = 3
TERMS_PER_THEME = 5
MIN_PASSAGE_CHARS = 12
# Filler that tells nothing about a theme in what people say at a meeting.
EXTRA_STOP_WORDS = frozenset(
    {"just", "really", "got", "get", "like", "know", "think", "said", "say", "did", "went", "ve"}
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Passage:
    source: str  # "contribution" or "story"
    id: int
    text: str
    start: int = 0  # where the passage starts in its text (so a story's words need not be kept)


@dataclass
class Theme:
    label: str
    terms: list[str]
    passages: list[dict]


def passages_of(texts: Iterable[tuple[str, int, str]]) -> list[Passage]:
    """Contributions whole; stories cut into paragraphs, or sentences when a story is one long
    paragraph. Very short scraps are left out, and exact repeats kept once."""
    seen: set[str] = set()
    result: list[Passage] = []
    for source, pk, text in texts:
        if source == "story":
            pieces = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
            if len(pieces) < 3:
                pieces = [s for p in pieces for s in _SENTENCE_END.split(p)]
        else:
            pieces = [text]
        cursor = 0
        for piece in pieces:
            piece = piece.strip()
            start = text.find(piece, cursor) if piece else -1
            if start >= 0:
                cursor = start + len(piece)
            key = piece.casefold()
            if len(piece) < MIN_PASSAGE_CHARS or key in seen:
                continue
            seen.add(key)
            result.append(Passage(source, pk, piece, max(start, 0)))
    return result


def vectorizer() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS),
        sublinear_tf=True,
        min_df=1,
        max_df=0.9,
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",  # noqa: S106 - words of two letters or more
    )


def theme_count(n_passages: int, wanted: int | None = None) -> int:
    return max(1, min(wanted or MAX_THEMES, n_passages // 3 or 1))


def nmf(n_themes: int) -> NMF:
    return NMF(n_components=n_themes, init="nndsvd", random_state=0, max_iter=400)


def suggest(texts: Sequence[tuple[str, int, str]], *, n_themes: int | None = None) -> list[Theme]:
    """Themes in the texts, strongest first, each with its top terms and the passages that
    carry it most."""
    passages = passages_of(texts)
    if len(passages) < 2:
        return []
    vec = vectorizer()
    try:
        matrix = vec.fit_transform([p.text for p in passages])
    except ValueError:  # nothing but stop words
        return []
    k = min(theme_count(len(passages), n_themes), matrix.shape[1])
    model = nmf(k)
    weights = model.fit_transform(matrix)
    terms = vec.get_feature_names_out()
    # A passage belongs to the theme it carries most; a theme's strength is what it holds.
    owner = weights.argmax(axis=1)
    strength = np.array([weights[owner == t, t].sum() for t in range(k)])
    themes: list[Theme] = []
    labels_seen: set[str] = set()
    for t in np.argsort(-strength, kind="stable"):
        if strength[t] <= 0:
            continue
        top_terms = [str(terms[i]) for i in np.argsort(-model.components_[t], kind="stable")]
        top_terms = top_terms[:TERMS_PER_THEME]
        label = ", ".join(top_terms[:3])
        if label in labels_seen:
            continue
        labels_seen.add(label)
        column = weights[:, t]
        order = [i for i in np.argsort(-column, kind="stable") if column[i] > 0]
        themes.append(
            Theme(
                label=label,
                terms=top_terms,
                passages=[
                    {
                        "source": passages[i].source,
                        "id": passages[i].id,
                        "text": passages[i].text,
                        "start": passages[i].start,
                        "end": passages[i].start + len(passages[i].text),
                        "weight": round(float(column[i]), 4),
                    }
                    for i in order[:PASSAGES_PER_THEME]
                ],
            )
        )
    return themes
