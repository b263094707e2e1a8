"""Issue 5: theme suggestions over 5,000 contributions and 500 stories.

Figures, each beside a plain TF-IDF + NMF (scikit-learn defaults for the vectoriser, the same
NMF settings) measured in the same run:
- `themes.suggest` on the texts in memory: cutting stories into passages, dropping repeats,
  our stop words, labels and the supporting passages of each theme (target ≤ 1.5×);
- the whole service `themes_suggest`: reading the texts from the database (the consent check on
  the stories included) and saving the suggestions (reported, no target: it adds the database).

The texts are made up from a fixed seed: sentences drawn from six known themes (waiting lists,
company, practical help, services not talking, flexible appointments, giving back) with filler.
"""

import datetime as dt
import random

from bench.harness import Figure, ms, paired_medians

SEED = 2018
CONTRIBUTIONS, STORIES = 5_000, 500
THEMES = {
    "waiting": [
        "the waiting list was months long",
        "I waited months before anyone called",
        "long waits for talking therapies",
        "nobody told me how long the wait would be",
    ],
    "company": [
        "the postman stopped for a chat every day",
        "a cup of tea at the community centre",
        "a friendly face every morning",
        "neighbours who knock on the door",
    ],
    "practical": [
        "help to carry the shopping home",
        "someone to walk the dog",
        "a lift to the shops when I am struggling",
        "help with the forms and the bills",
    ],
    "disconnected": [
        "the services do not talk to each other",
        "I told my story again and again",
        "the referral letter went nowhere",
        "discharged without anyone telling the GP",
    ],
    "flexible": [
        "changing an appointment put me back in the queue",
        "the appointment times never fit",
        "they would not move the time when I was ill",
        "one missed appointment and you are discharged",
    ],
    "giving": [
        "a chance to give something back",
        "volunteering at the charity shop",
        "fixing things at the Men's Shed",
        "helping out at the social club raffle",
    ],
}
FILLER = ["honestly", "you know", "for me", "that year", "in the end", "at the time"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [dt.date(2026, m, 1).strftime("%B") for m in range(1, 13)]
# Words that make each sentence its own, as real speech is: few repeats to drop.
PLACES = [
    f"{a}{b}"
    for a in ("Ash", "Bell", "Cross", "Holly", "Mill", "Oak", "Stone")
    for b in ("field", "green", "ley", "moor", "wood", "brook", "ford")
]


def corpus(seed: int = SEED) -> list[tuple[str, int, str]]:
    rng = random.Random(seed)
    names = sorted(THEMES)

    def sentence() -> str:
        theme = THEMES[rng.choice(names)]
        return (
            f"{rng.choice(FILLER).capitalize()}, {rng.choice(theme)} "
            f"in {rng.choice(PLACES)} one {rng.choice(DAYS)} in {rng.choice(MONTHS)}."
        )

    texts = [("contribution", i, sentence()) for i in range(CONTRIBUTIONS)]
    for i in range(STORIES):
        paragraphs = [
            " ".join(sentence() for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(3, 6))
        ]
        texts.append(("story", i, "\n\n".join(paragraphs)))
    return texts


def plain(texts: list[str], k: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from hct.conversations.themes import nmf

    matrix = TfidfVectorizer().fit_transform(texts)
    return nmf(k).fit_transform(matrix)


def _load_database(texts):
    """The same texts as one cycle's contributions and stories (people who consent)."""
    from django.contrib.auth import get_user_model

    from hct.conversations.models import Contribution, Conversation
    from hct.journeys.models import Story
    from hct.partnership.models import Cycle, Partnership
    from hct.people.models import Consent, Person, Purpose
    from hct.places import selectors as places_selectors
    from hct.places.models import Lsoa, Neighbourhood
    from hct.places.services import places_load

    if not places_selectors.places_loaded():
        places_load(actor=None)
    neighbourhood = Neighbourhood.objects.order_by("pk").first()
    home = Lsoa.objects.order_by("pk").first()
    partnership = Partnership.objects.create(name="Bench", slug="bench")
    cycle = Cycle.objects.create(partnership=partnership, neighbourhood=neighbourhood, number=1)
    first = Conversation.objects.create(
        cycle=cycle, number=1, purpose="Bench", date=dt.date(2026, 1, 1)
    )
    second = Conversation.objects.create(
        cycle=cycle, number=2, purpose="Bench", date=dt.date(2026, 2, 1)
    )
    Contribution.objects.bulk_create(
        [Contribution(conversation=first, text=t) for s, _, t in texts if s == "contribution"],
        batch_size=1000,
    )
    people = Person.objects.bulk_create(
        [
            Person(alias=f"Bench {i}", home_lsoa=home, synthetic=True, synthetic_batch="bench")
            for i, (s, _, _) in enumerate(texts)
            if s == "story"
        ]
    )
    Consent.objects.bulk_create(
        [
            Consent(
                person=p,
                purpose=Purpose.STORY_AT_CONVERSATION,
                given_on=dt.date(2025, 1, 1),
                how="in_person",
            )
            for p in people
        ]
    )
    stories = Story.objects.bulk_create(
        [
            Story(person=p, text=t)
            for p, (_, _, t) in zip(people, [x for x in texts if x[0] == "story"], strict=True)
        ]
    )
    # Each story told at a conversation of the cycle: one at the centre of each of many
    # conversations, as a city running many cycles' worth of stories would have.
    Conversation.objects.bulk_create(
        [
            Conversation(
                cycle=cycle,
                number=10 + i,
                purpose="Bench",
                date=dt.date(2026, 1, 1),
                story=story,
            )
            for i, story in enumerate(stories)
        ]
    )
    second.number = 10_000
    second.save(update_fields=["number"])
    user = get_user_model().objects.create(username="bench-facilitator", role="facilitator")
    return second, user


def run():
    from hct.conversations import services, themes
    from hct.conversations.models import ThemeSuggestion

    texts = corpus()
    passages = themes.passages_of(texts)
    k = themes.theme_count(len(passages))
    raw = [t for _, _, t in texts]
    found = themes.suggest(texts)
    assert len(found) == k, (len(found), k)

    ours, baseline, ratio = paired_medians(
        lambda: themes.suggest(texts), lambda: plain(raw, k), repeat=5, warmup=1
    )
    yield Figure(
        f"theme suggestions, {CONTRIBUTIONS:,} contributions + {STORIES} stories "
        f"({len(passages):,} passages, {k} themes)",
        ms(ours),
        f"plain TF-IDF + NMF over the same texts {ms(baseline)}",
        ratio,
        "≤ 1.5",
    )

    conversation, user = _load_database(texts)

    def service():
        ThemeSuggestion.objects.filter(conversation=conversation).delete()
        services.themes_suggest(actor=user, conversation=conversation)

    whole, baseline, ratio = paired_medians(service, lambda: plain(raw, k), repeat=3, warmup=1)
    yield Figure(
        "theme suggestions through the service (texts read from the database, consent "
        "checked, suggestions saved)",
        ms(whole),
        f"plain TF-IDF + NMF {ms(baseline)}",
        ratio,
        "reported",
    )
