"""Query strings for the map's tables: sort by a column (again to reverse), focus on an actor;
the other filters stay as they were."""

from django import template

register = template.Library()


@register.simple_tag
def sort_query(query, param: str, key: str, filters) -> str:
    changed = query.copy()
    current = filters.actor_sort if param == "actor_sort" else filters.link_sort
    changed[param] = key
    if current == key and not filters.descending:
        changed["order"] = "desc"
    else:
        changed.pop("order", None)
    return changed.urlencode()


@register.simple_tag
def focus_query(query, pk: int) -> str:
    changed = query.copy()
    changed["focus"] = str(pk)
    return changed.urlencode()


@register.simple_tag
def page_query(query, param: str, number: int) -> str:
    """The same filters and sorts on another page of one table (the other keeps its page)."""
    changed = query.copy()
    changed[param] = str(number)
    return changed.urlencode()
