"""What later apps hold about a person, registered here so that `people` never imports them.

Each app that keeps records about a person (journeys, matching …) registers, in its
AppConfig.ready():

- `export(person) -> JSON-able`: its part of the person's right-of-access export;
- `section(request, person, access) -> str`: HTML for the person page (or "" for nothing);
- `erase(person) -> int` (optional): removes what a database cascade from Person would not,
  returning how many records went. Records with a foreign key to Person (on_delete=CASCADE) go
  with the person and need no hook.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonData:
    key: str
    order: int
    export: Callable[[Any], Any]
    section: Callable[[Any, Any, Any], str] | None = None
    erase: Callable[[Any], int] | None = None


_registered: dict[str, PersonData] = {}


def register(data: PersonData) -> None:
    _registered[data.key] = data


def registered() -> list[PersonData]:
    return sorted(_registered.values(), key=lambda d: (d.order, d.key))
