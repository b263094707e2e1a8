"""The service navigation: each app registers its sections (in its AppConfig.ready), and the
header shows a user the sections their role may open, in a fixed order."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int
    prefix: str  # URL path prefix that marks this section as the current one


_sections: list[Section] = []


def register(section: Section) -> None:
    if all(existing.url_name != section.url_name for existing in _sections):
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def sections_for(user, path: str) -> list[dict]:
    role = getattr(user, "role", None)
    items = []
    for section in _sections:
        if role in section.roles:
            items.append(
                {
                    "label": section.label,
                    "href": reverse(section.url_name),
                    "current": path.startswith(section.prefix)
                    if section.prefix != "/"
                    else path == "/",
                }
            )
    return items
