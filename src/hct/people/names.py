"""Whether words meant for a public page name someone the partnership holds a record of.

A campaign, an ask or anything else published is checked against the aliases of the people who
live in the place it is about and the names in their (encrypted) identity records. The answer
is only yes or no: which name matched is never said, so the check cannot be used to find out
who is on record.
"""

import re
from collections.abc import Iterable

from django.db.models import QuerySet

from hct.people import identity
from hct.people.models import Identity
from hct.people.selectors import people_in
from hct.places.models import Neighbourhood

ERROR_NAMES_A_PERSON = (
    "This names a person. The page is public, so write groups, organisations and roles "
    "(for example: the parks team), never a person's name."
)

# Shorter than this, a "name" (an initial, "Al") matches too many ordinary words.
SHORTEST_NAME = 3


# An alias or a name may carry a note after it: "Sam (not his real name)", "Sam — a demo".
_NOTE = re.compile(r"\s*(?:[(\[—–,;:]|\s-\s).*$", re.DOTALL)


def _bare(name: str) -> str:
    return _NOTE.sub("", name).strip()


def _pattern(names: Iterable[str]) -> re.Pattern | None:
    bare = {_bare(n) for n in names}
    words = sorted({n for n in bare if len(n) >= SHORTEST_NAME}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _names_in(neighbourhoods: QuerySet[Neighbourhood]) -> list[str]:
    people = people_in(neighbourhoods)
    names = list(people.values_list("alias", flat=True))
    for token in Identity.objects.filter(person__in=people).values_list("token", flat=True):
        try:
            names.append(identity.decrypt(token).name)
        except identity.IdentityKeyError:
            continue
    return names


def fields_naming_a_person(
    fields: dict[str, str], neighbourhoods: QuerySet[Neighbourhood]
) -> list[str]:
    """The names of the `fields` whose words contain the alias or the recorded name of someone
    living in these neighbourhoods (whole words, any case), in the order given."""
    if not any(text.strip() for text in fields.values() if text):
        return []
    pattern = _pattern(_names_in(neighbourhoods))
    if pattern is None:
        return []
    return [name for name, text in fields.items() if text and pattern.search(text)]
