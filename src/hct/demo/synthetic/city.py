"""The synthetic city's shared parts: the `City` every step receives, and the list of steps."""

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from hct.core.models import User
from hct.journeys.models import Journey
from hct.partnership.models import Partnership
from hct.people.models import Person
from hct.places.models import Lsoa
from hct.systemmap.models import Actor

BATCH = "city"
BATCH_SIZE = 5000
EPOCH = dt.date(2014, 1, 1)  # journeys start after this, whatever today is, so seeds reproduce


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


@dataclass
class City:
    """Everything the steps share: the seed's random generator and what has been made."""

    people_wanted: int
    seed: int
    touchpoints_per_person: int = 20
    rng: random.Random = field(init=False)
    facilitator: User | None = None
    partnership: Partnership | None = None
    lsoas: list[Lsoa] = field(default_factory=list)
    ward_of_lsoa: dict[int, int] = field(default_factory=dict)  # lsoa id -> ward neighbourhood id
    people: list[Person] = field(default_factory=list)
    ward_actors: dict[int, dict[str, list[Actor]]] = field(default_factory=dict)
    city_actors: dict[str, list[Actor]] = field(default_factory=dict)
    # person id -> kind -> the person's own actor of that kind
    own_actors: dict[int, dict[str, Actor]] = field(default_factory=dict)
    journeys: list[Journey] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


Step = Callable[[City], None]
STEPS: list[tuple[str, Step]] = []


def register_step(name: str, step: Step) -> None:
    """Add a step to the city (later issues: their own records), once, after those before it."""
    if all(existing != name for existing, _ in STEPS):
        STEPS.append((name, step))


def bulk(model, objects: list) -> list:
    return model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
