"""The first cycle's field notes (the brief's "be useful": curtain poles and TV aerials, the
charity shop, the raffle at the Social Club), two lessons, and well-being answers for Sam and
his synthetic neighbours. Created through the services, only when missing."""

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from hct.demo.journeys import DEMO_BATCH
from hct.directory.models import Location
from hct.learning import services
from hct.learning.models import AssetFound, FieldNote, Lonely, WellbeingCheck
from hct.partnership.models import Cycle, Stage
from hct.people.models import Consent, Person

User = get_user_model()
SEED = 2018

FIELD_NOTES: tuple[tuple[Any, ...], ...] = (
    (
        "2025-10-09",
        "Fixed a curtain pole and a TV aerial for two neighbours on the same close; one of them "
        "had not had a visitor for weeks.",
        "Two neighbours living alone; the woman who runs the café opposite the shops.",
        "People know each other by sight but not by name. The café is where news travels.",
        [],
    ),
    (
        "2025-10-16",
        "Helped at the charity shop for the morning: sorting donations and on the till.",
        "The shop's volunteers, most of them retired; two regulars who come in every day to talk.",
        "The shop is a place people come to for company as much as for bargains.",
        [
            (
                "Charity shop chat corner",
                AssetFound.Kind.COMMUNITY_GROUP,
                "Two chairs and a kettle at the back of the charity shop; the volunteers make time to talk.",
            )
        ],
    ),
    (
        "2025-10-24",
        "Called the raffle at the Social Club's Friday night.",
        "The club's committee, the darts team, the Friday regulars.",
        "The committee would host a Big Conversation: it is where people already gather, not a boardroom.",
        [
            (
                "Friday raffle night at the Social Club",
                AssetFound.Kind.COMMUNITY_GROUP,
                "Friday night raffle and darts; everyone welcome, no one has to drink.",
            )
        ],
    ),
)

LESSONS: tuple[dict[str, Any], ...] = (
    {
        "stage": Stage.DIVE_IN,
        "tried": "Being useful first: odd jobs, the charity shop till, calling the raffle.",
        "happened": "People started to tell us things unprompted after the second week.",
        "learned": "Trust came from being useful in small ways, not from explaining the programme.",
        "differently": "Start being useful in the first week, before any meeting is planned.",
        "evidence": ("field_note",),
    },
    {
        "stage": Stage.STORY,
        "tried": "Mapping Sam's journey with him, touchpoint by touchpoint.",
        "happened": "The gaps between services were clearer to him than to any of us.",
        "learned": "The person sees the gaps the services cannot: their journey is the evidence.",
        "differently": "Ask about the gaps first, then the services.",
        "evidence": ("gap",),
    },
)


def learning_demo_load(summary) -> None:
    cycle = Cycle.objects.select_related("neighbourhood").filter(number=1).order_by("pk").first()
    facilitator = User.objects.filter(username="facilitator").first()
    if cycle is None or facilitator is None:
        return
    if not FieldNote.objects.filter(cycle=cycle).exists():
        # An area no directory entry is in yet, so the demo's assets stand apart on the map.
        taken = Location.objects.filter(lsoa__isnull=False).values("lsoa")
        lsoas = cycle.neighbourhood.lsoas.order_by("code")
        lsoa = lsoas.exclude(pk__in=taken).first() or lsoas.first()
        if lsoa is None:
            return  # a neighbourhood with no small areas has nowhere to put its assets
        for day, useful, met, noticed, assets in FIELD_NOTES:
            note = services.field_note_create(
                actor=facilitator,
                cycle=cycle,
                written_on=dt.date.fromisoformat(day),
                where_useful=useful,
                who_we_met=met,
                what_we_noticed=noticed,
            )
            for name, kind, description in assets:
                services.asset_found_add(
                    actor=facilitator,
                    field_note=note,
                    name=name,
                    kind=kind,
                    lsoa=lsoa,
                    description=description,
                )
        for spec in LESSONS:
            spec = dict(spec)
            wanted = spec.pop("evidence")
            choices = [v for _, options in services.evidence_choices(cycle) for v, _ in options]
            evidence = [
                next(v for v in choices if v.startswith(f"{k}:"))
                for k in wanted
                if any(v.startswith(f"{k}:") for v in choices)
            ]
            services.lesson_create(actor=facilitator, cycle=cycle, evidence=evidence, **spec)
        summary.created.append("field notes and lessons of the first cycle")
    _wellbeing(facilitator, summary)


def _wellbeing(facilitator, summary) -> None:
    chosen = Person.objects.filter(user__username="sam") | Person.objects.filter(
        synthetic_batch=DEMO_BATCH
    )
    people = list(chosen.order_by("pk"))
    if not people or WellbeingCheck.objects.filter(person__in=people).exists():
        return
    rng = random.Random(SEED)
    lonely = list(Lonely)
    for person in people:
        first = {name: rng.randint(2, 6) for name in ("life_satisfaction", "worthwhile", "happy")}
        first["anxious"] = rng.randint(5, 9)
        first_lonely = rng.choice(lonely[:3])
        services.wellbeing_record(
            actor=facilitator,
            person=person,
            wave=WellbeingCheck.Wave.BASELINE,
            asked_on=dt.date(2025, 11, 10),
            lonely=first_lonely,
            consent_how=Consent.How.IN_PERSON,
            **first,
        )
        later = {
            name: min(10, value + rng.randint(0, 3))
            for name, value in first.items()
            if name != "anxious"
        }
        later["anxious"] = max(0, first["anxious"] - rng.randint(0, 3))
        services.wellbeing_record(
            actor=facilitator,
            person=person,
            wave=WellbeingCheck.Wave.FOLLOW_UP,
            asked_on=dt.date(2026, 7, 1),
            lonely=lonely[min(len(lonely) - 1, lonely.index(first_lonely) + rng.randint(0, 2))],
            consent_how=Consent.How.IN_PERSON,
            **later,
        )
    summary.created.append(f"well-being answers for {len(people)} people")
