"""Template helpers for directory pages."""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def web_link(url: str) -> str:
    """The address if it is a web address (http or https), else "": imported data must never
    put a javascript: or data: link in a page."""
    try:
        scheme = urlsplit(str(url or "").strip()).scheme.lower()
    except ValueError:
        return ""
    return str(url).strip() if scheme in ("http", "https") else ""


@register.filter
def kind_label(kind: str) -> str:
    return str(kind).replace("_", " ")
