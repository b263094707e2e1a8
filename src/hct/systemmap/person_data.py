"""The system map's part of the person page: a way to their own map, and what it shows."""

from django.template.loader import render_to_string

from hct.people.selectors import Access
from hct.systemmap.selectors import person_map


def section(request, person, access: Access) -> str:
    if not access.sees_person:
        return ""
    system = person_map(person, sees_private_names=access.sees_private_names)
    if not system.edges:
        return ""
    context = {
        "person": person,
        "actors": len(system.nodes),
        "links": len(system.edges),
        "failing": sum(1 for e in system.edges if e.failing),
    }
    return render_to_string("systemmap/_person_section.html", context, request=request)
