"""The synthetic city's learning: well-being answers for many of its people (a first answer for
most, a later one for many, a third for a few), and field notes, assets found and lessons for
every cycle of the demo partnership. Marked synthetic; the same seed gives the same answers."""

import datetime as dt

from django.utils import timezone

from hct.demo.synthetic.city import City, bulk
from hct.learning.models import AssetFound, FieldNote, Lesson, Lonely, WellbeingCheck
from hct.partnership.models import Cycle
from hct.people.models import Consent
from hct.places.models import Lsoa

FIRST_ASKED = 0.6  # of everyone
ASKED_AGAIN = 0.5  # of those asked once
ASKED_THIRD = 0.2  # of those asked twice
NOTES_PER_CYCLE, LESSONS_PER_CYCLE = 25, 6
LONELY = list(Lonely)


def _clamp(value: int) -> int:
    return max(0, min(10, value))


def _answers(rng, person, wave, on, before=None, baseline=None) -> WellbeingCheck:
    if before is None:
        scores = {n: rng.randint(1, 8) for n in ("life_satisfaction", "worthwhile", "happy")}
        scores["anxious"] = rng.randint(3, 10)
        lonely = rng.choice(LONELY)
    else:
        scores = {
            n: _clamp(getattr(before, n) + rng.randint(-1, 3))
            for n in ("life_satisfaction", "worthwhile", "happy")
        }
        scores["anxious"] = _clamp(before.anxious - rng.randint(-1, 3))
        lonely = LONELY[min(len(LONELY) - 1, LONELY.index(before.lonely) + rng.randint(-1, 2))]
    return WellbeingCheck(
        person=person,
        wave=wave,
        baseline=baseline,
        asked_on=on,
        lonely=lonely,
        consent_how=Consent.How.IN_PERSON,
        synthetic=True,
        **scores,
    )


def learning_step(city: City) -> None:
    rng = city.rng
    today = timezone.localdate()
    firsts, laters = [], []
    for person in city.people:
        if rng.random() >= FIRST_ASKED:
            continue
        first_on = today - dt.timedelta(days=rng.randrange(200, 700))
        first = _answers(rng, person, WellbeingCheck.Wave.BASELINE, first_on)
        firsts.append(first)
        latest = first
        for share in (ASKED_AGAIN, ASKED_THIRD):
            if rng.random() >= share:
                break
            latest = _answers(
                rng,
                person,
                WellbeingCheck.Wave.FOLLOW_UP,
                latest.asked_on + dt.timedelta(days=rng.randrange(60, 180)),
                latest,
            )
            laters.append((first, latest))
    bulk(WellbeingCheck, firsts)  # first, so that the later answers can point at them
    for first, later in laters:
        later.baseline = first
    bulk(WellbeingCheck, [later for _, later in laters])
    checks = firsts + [later for _, later in laters]
    notes, assets, lessons = [], [], []
    lsoas_of: dict[int, list[Lsoa]] = {}
    for cycle in Cycle.objects.select_related("neighbourhood").prefetch_related(
        "neighbourhood__lsoas"
    ):
        lsoas = list(cycle.neighbourhood.lsoas.all())
        for index in range(NOTES_PER_CYCLE):
            notes.append(
                FieldNote(
                    cycle=cycle,
                    written_on=today - dt.timedelta(days=rng.randrange(0, 400)),
                    where_useful=f"Synthetic: odd jobs and the charity shop, day {index + 1}.",
                    author=city.facilitator,
                    synthetic=True,
                )
            )
        for index in range(LESSONS_PER_CYCLE):
            lessons.append(
                Lesson(
                    cycle=cycle,
                    tried="Synthetic: something tried.",
                    happened="Synthetic: what happened.",
                    learned=f"Synthetic lesson {index + 1} of {cycle.neighbourhood.name}.",
                    differently="Synthetic: next time.",
                    author=city.facilitator,
                    synthetic=True,
                )
            )
        lsoas_of[cycle.pk] = lsoas
    notes = bulk(FieldNote, notes)
    for note in notes:
        if rng.random() < 0.4 and lsoas_of[note.cycle_id]:
            assets.append(
                AssetFound(
                    field_note=note,
                    name="Synthetic community asset",
                    kind=AssetFound.Kind.COMMUNITY_GROUP,
                    lsoa=rng.choice(lsoas_of[note.cycle_id]),
                )
            )
    bulk(AssetFound, assets)
    bulk(Lesson, lessons)
    city.counts.update(
        wellbeing_checks=len(checks),
        field_notes=len(notes),
        assets_found=len(assets),
        lessons=len(lessons),
    )


def learning_remove(people) -> list:
    """What the city's removal deletes for learning, children first (querysets)."""
    return [
        WellbeingCheck.objects.filter(person__in=people, wave=WellbeingCheck.Wave.FOLLOW_UP),
        WellbeingCheck.objects.filter(person__in=people),
        AssetFound.objects.filter(field_note__synthetic=True),
        FieldNote.objects.filter(synthetic=True),
        Lesson.objects.filter(synthetic=True),
    ]
