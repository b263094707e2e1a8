"""The plan every format reads into and writes from, and its checks."""

from dataclasses import dataclass, field

from hct.systemmap.models import Actor, Link, Sector

# format -> (file extension, media type)
FORMATS = {
    "graphml": ("graphml", "application/graphml+xml"),
    "gexf": ("gexf", "application/gexf+xml"),
    "kumu": ("json", "application/json"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
MAX_ACTORS = 50_000
MAX_LINKS = 250_000


class ImportRefused(Exception):
    """The file cannot be imported; `errors` name each element at fault."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class PlannedActor:
    ref: str
    name: str
    kind: str
    sector: str = ""
    description: str = ""


@dataclass
class PlannedLink:
    source: str
    target: str
    kind: str
    status: str = Link.Status.WORKING
    direction: str = Link.Direction.FORWARD
    strength: int | None = None
    polarity: str = ""
    note: str = ""


@dataclass
class MapFile:
    actors: list[PlannedActor] = field(default_factory=list)
    links: list[PlannedLink] = field(default_factory=list)


def _choice(value: str, choices) -> str | None:
    """A choice by its value or its label, in any case (Kumu and PRSM users type labels)."""
    wanted = (value or "").strip().lower()
    for stored, label in choices:
        if wanted in (str(stored).lower(), str(label).lower()):
            return stored
    return None


SHARED_KINDS = [(k, label) for k, label in Actor.Kind.choices if k not in Actor.PERSONAL_KINDS]
DIRECTIONS = [*Link.Direction.choices, ("forward", "directed"), ("both", "mutual")]
POLARITIES = [*Link.Polarity.choices, ("-", "−")]


def checked(plan: MapFile, where: str) -> MapFile:
    """The plan with kinds, statuses and the rest in their stored form; refused, naming each
    element at fault (`where` says how elements are named in this format), if anything is
    wrong."""
    errors: list[str] = []
    if len(plan.actors) > MAX_ACTORS or len(plan.links) > MAX_LINKS:
        raise ImportRefused([f"The file holds more than {MAX_ACTORS} actors or {MAX_LINKS} links"])
    refs: set[str] = set()
    names: set[str] = set()
    for actor in plan.actors:
        label = f"{where} actor “{actor.ref}”"
        if any("\x00" in (value or "") for value in (actor.ref, actor.name, actor.description)):
            errors.append(f"{label}: it contains a NUL character, which cannot be stored")
            actor.name = actor.name.replace("\x00", "")
        if actor.ref in refs:
            errors.append(f"{label}: the id is used twice")
        refs.add(actor.ref)
        actor.name = (actor.name or "").strip()
        if not actor.name:
            errors.append(f"{label}: it has no name")
        elif len(actor.name) > 200:
            errors.append(f"{label}: the name is longer than 200 characters")
        elif actor.name.lower() in names:
            errors.append(f"{label}: another actor has the name “{actor.name}”")
        names.add(actor.name.lower())
        kind = _choice(actor.kind, SHARED_KINDS)
        if kind is None:
            personal = _choice(actor.kind, Actor.Kind.choices)
            errors.append(
                f"{label}: family, friends and people belong to a person's record, not a map file"
                if personal
                else f"{label}: unknown kind “{actor.kind}”"
            )
        else:
            actor.kind = kind
        if actor.sector:
            sector = _choice(actor.sector, Sector.choices)
            if sector is None:
                errors.append(f"{label}: unknown sector “{actor.sector}”")
            else:
                actor.sector = sector
    seen: set[tuple[str, str, str]] = set()
    for number, link in enumerate(plan.links, start=1):
        label = f"{where} link {number} ({link.source} → {link.target})"
        if "\x00" in (link.note or ""):
            errors.append(f"{label}: its note contains a NUL character, which cannot be stored")
        for end in (link.source, link.target):
            if end not in refs:
                errors.append(f"{label}: no actor has the id “{end}”")
        if link.source == link.target:
            errors.append(f"{label}: a link joins two different actors")
        for name, choices in (
            ("kind", Link.Kind.choices),
            ("status", Link.Status.choices),
            ("direction", DIRECTIONS),
            ("polarity", POLARITIES),
        ):
            raw = getattr(link, name)
            if name == "polarity" and not (raw or "").strip():
                link.polarity = ""
                continue
            value = _choice(str(raw), choices)
            if value is None:
                errors.append(f"{label}: unknown {name} “{raw}”")
            else:
                setattr(link, name, value)
        if link.strength not in (None, ""):
            try:
                link.strength = int(float(link.strength))
            except (TypeError, ValueError):
                link.strength = 0
            if not 1 <= link.strength <= 5:
                errors.append(f"{label}: strength must be a whole number from 1 to 5")
        else:
            link.strength = None
        link.note = (link.note or "").strip()[:300]
        key = (link.source, link.target, link.kind)
        if key in seen:
            errors.append(f"{label}: the same link of kind “{link.kind}” appears twice")
        seen.add(key)
    if errors:
        raise ImportRefused(errors)
    return plan
