"""The version every map is drawn from, and what moves it.

Counting actors, links, their evidence and the people (whose homes decide which map they are on)
is exact but scans four tables: about 50 ms at a city's size on PostgreSQL, more than the rest
of a cached map page. So the counted version is kept in the cache, and beside it a generation
that is renewed whenever one of those rows is written: `post_save` and `post_delete`
(cascades included) through the signals `apps.py` connects, and `changed()` after the bulk
writes that send no signal (bulk_create, bulk_update, update()). It is renewed at once and
again after the transaction commits, so neither this process (which sees its own writes at
once) nor another (which sees them at commit) goes on with the old version, and a write that
moves no count or `updated_at` still moves it.

A write no signal sees (raw SQL, or another process when the cache is per process, as locmem
is) is still counted within VERSION_SECONDS, the most the counted part is kept.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max

from hct.people.models import Person
from hct.systemmap.models import Actor, Link, LinkEvidence

KEY = "systemmap:version"
GENERATION = "systemmap:version-generation"
VERSION_SECONDS = 5


def counted() -> str:
    """The version from the tables themselves, in four aggregate queries. Rows added or removed
    change a count; changes move a latest `updated_at` (the bulk writes set it too)."""
    parts = [
        Actor.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        Link.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        LinkEvidence.objects.aggregate(n=Count("pk"), top=Max("pk")),
        Person.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
    ]
    return "|".join(
        ":".join(str(v.timestamp() if hasattr(v, "timestamp") else v) for v in p.values())
        for p in parts
    )


def current() -> str:
    """The counted version (kept VERSION_SECONDS) and the generation `changed()` renews."""
    found = cache.get_many([KEY, GENERATION])
    generation = found.get(GENERATION)
    if generation is None:  # never set, or evicted: a new one is always safe
        generation = _renew()
    kept = found.get(KEY)
    if kept is None:
        kept = counted()
        cache.set(KEY, kept, timeout=VERSION_SECONDS)
    return f"{kept}|{generation}"


def _renew() -> str:
    """A new generation, and the counted part counted again (it saw the tables before)."""
    generation = uuid.uuid4().hex
    cache.set(GENERATION, generation, timeout=None)
    cache.delete(KEY)
    return generation


def changed() -> None:
    """Something a map is drawn from was written: a new version at once and again at commit."""
    _renew()
    transaction.on_commit(_renew)


def on_write(sender, **kwargs) -> None:
    changed()


WATCHED = (Actor, Link, LinkEvidence, Person)
