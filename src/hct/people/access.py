"""Who may reach a person's pages: shared by every app whose pages hang off a person."""

from django.http import Http404, HttpRequest

from hct.core.access import deny
from hct.people import selectors
from hct.people.models import Person
from hct.people.selectors import Access


def person_for(
    request: HttpRequest, pk: int, *, need: str = "sees_person"
) -> tuple[Person, Access]:
    """The person, if this user may see them in the way `need` says; else 404 or 403."""
    try:
        person = selectors.person_get(pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    access = selectors.person_access(request.user, person)
    if not getattr(access, need):
        raise deny(request, f"person not visible ({need})")
    return person, access
