"""Links kept up to date from the evidence journeys leave on them.

The map knows nothing of journeys (they come after it in the app order): `hct.journeys.derive`
reads them and hands what they show here as evidence, one (link key, evidence fields) pair per
thing shown. `links_evidence_replace` replaces a set of journeys' evidence with it, makes the
links shown that are not yet on the map, resets the status of every link touched (unless
someone set it by hand), and removes derived links no evidence shows any more. It works in a
fixed number of queries per batch, so the synthetic city uses it as well as each journey edit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from hct.core.models import User
from hct.core.services import audit_record
from hct.systemmap import version
from hct.systemmap.models import Actor, Link, LinkEvidence

# When evidence disagrees, the worst wins: one journey that shows a link missing is worth
# knowing however many others show it working.
SEVERITY = {
    Link.Status.WORKING: 0,
    Link.Status.STRAINED: 1,
    Link.Status.BROKEN: 2,
    Link.Status.MISSING: 3,
}
_CHUNK = 500

# (from actor id, to actor id, link kind) and the LinkEvidence fields that show it.
LinkKey = tuple[int, int, str]
Shown = list[tuple[LinkKey, dict[str, Any]]]


@dataclass(frozen=True)
class Derived:
    created: int
    removed: int
    evidence: int
    restatused: int


def status_from(statuses: Iterable[str]) -> str | None:
    statuses = list(statuses)
    if not statuses:
        return None
    return max(statuses, key=lambda s: SEVERITY[Link.Status(s)])


def _links_for(keys: set[LinkKey]) -> dict[LinkKey, Link]:
    found: dict[LinkKey, Link] = {}
    sources = sorted({k[0] for k in keys})
    for start in range(0, len(sources), _CHUNK):
        shared = Link.objects.filter(partnership__isnull=True)
        for link in shared.filter(from_actor_id__in=sources[start : start + _CHUNK]):
            key = (link.from_actor_id, link.to_actor_id, link.kind)
            if key in keys:
                found[key] = link
    return found


def restatus(link_ids: set[int]) -> tuple[int, int]:
    """Each link's status from its evidence (worst wins), unless set by hand; derived links left
    with no evidence go. Returns (changed, removed)."""
    evidence: dict[int, list[str]] = {}
    ids = sorted(link_ids)
    changed: list[Link] = []
    gone: list[int] = []
    now = timezone.now()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for link_id, status in LinkEvidence.objects.filter(link_id__in=chunk).values_list(
            "link_id", "status"
        ):
            evidence.setdefault(link_id, []).append(status)
        for link in Link.objects.filter(pk__in=chunk, status_by_hand=False):
            worst = status_from(evidence.get(link.pk, []))
            if worst is None:
                # Only a link that journeys made and never marked goes: one marked through
                # `link_mark` (times_marked) keeps its status, as the journeys app promises.
                if link.origin == Link.Origin.JOURNEYS and not link.times_marked:
                    gone.append(link.pk)
            elif worst != link.status:
                link.status = worst
                link.updated_at = now  # bulk_update skips auto_now; the map's version reads it
                changed.append(link)
    Link.objects.bulk_update(changed, ["status", "updated_at"], batch_size=2000)
    version.changed()  # bulk writes send no signal
    for start in range(0, len(gone), _CHUNK):
        Link.objects.filter(pk__in=gone[start : start + _CHUNK]).delete()
    return len(changed), len(gone)


@transaction.atomic
def links_evidence_replace(*, actor: User | None, journey_ids: list[int], shown: Shown) -> Derived:
    """Replace these journeys' evidence with `shown`, and bring their links up to date."""
    if not journey_ids:
        return Derived(0, 0, 0, 0)
    touched: set[int] = set()
    for start in range(0, len(journey_ids), _CHUNK):
        chunk = journey_ids[start : start + _CHUNK]
        old = LinkEvidence.objects.filter(journey_id__in=chunk)
        touched.update(old.values_list("link_id", flat=True))
        old.delete()
    keys = {key for key, _ in shown}
    links = _links_for(keys)
    synthetic = set(
        Actor.objects.filter(synthetic=True, pk__in={k[0] for k in keys - set(links)}).values_list(
            "pk", flat=True
        )
    )
    new = [
        Link(
            from_actor_id=key[0],
            to_actor_id=key[1],
            kind=key[2],
            status=Link.Status.WORKING,  # `restatus` below sets it from the evidence
            origin=Link.Origin.JOURNEYS,
            synthetic=key[0] in synthetic,
        )
        for key in sorted(keys - set(links))
    ]
    Link.objects.bulk_create(new, batch_size=2000)
    if new:
        links.update(_links_for({(n.from_actor_id, n.to_actor_id, n.kind) for n in new}))
    LinkEvidence.objects.bulk_create(
        [LinkEvidence(link_id=links[key].pk, **fields) for key, fields in shown],
        batch_size=2000,
    )
    version.changed()  # bulk writes send no signal
    touched.update(link.pk for link in links.values())
    restatused, removed = restatus(touched)
    result = Derived(len(new), removed, len(shown), restatused)
    audit_record(
        actor=actor,
        verb="links.derive",
        subject_type="systemmap.link",
        details={"journeys": len(journey_ids), **result.__dict__},
    )
    return result
