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
    """The sections this user may go to. Only the section with the longest prefix the path
    starts with is current, so "/me/consent/" marks "My consents", not "My record" as well."""
    role = getattr(user, "role", None)
    visible = [section for section in _sections if role in section.roles]
    matching = [
        s.prefix for s in visible if (path.startswith(s.prefix) if s.prefix != "/" else path == "/")
    ]
    current = max(matching, key=len, default=None)
    return [
        {
            "label": section.label,
            "href": reverse(section.url_name),
            "current": section.prefix == current,
        }
        for section in visible
    ]
