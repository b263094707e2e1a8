"""Checking an import as a whole: references between records (in the files and in the
directory), what the standard needs but a schema cannot say, and — when only the valid records
are to be imported — which records fall with the ones that are skipped.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hct.directory.importer.kinds import ALIASES, KINDS, LINKABLE
from hct.directory.importer.records import Collector, Entity, Problem, TopRecord
from hct.directory.importer.sources import SourceFile
from hct.directory.schedules import parse_byday

ERROR_MISSING_TARGET = "{field} {value} matches no {kind} in this import or in the directory"
ERROR_NO_OWNER = "belongs to no {owners}: give {fields}"
ERROR_SKIPPED_TARGET = "{field} {value} names a {kind} that is skipped"
ERROR_INTERVAL_NEEDS_DTSTART = (
    "an interval above 1 needs dtstart, the date of the first event, to count from"
)
ERROR_AGES = "minimum_age {low} is above maximum_age {high}"
ERROR_DATES = "valid_to {to} is before valid_from {start}"
ERROR_NOTHING = "holds no ORUK records"
WARNING_SOFT = "{field} {value} is not in this import or the directory: kept, and linked when that {kind} arrives"
WARNING_LINK = "link_id {value} names no record in this import or the directory: kept, and linked when it arrives"
WARNING_ORDINAL = "byday {value!r}: a number before a day only means something when freq is MONTHLY; the number is ignored"
WARNING_ALIAS = "ignored: {canonical} (the standard's name for this table) is also here"
WARNING_BYMONTHDAY = "bymonthday only means something when freq is MONTHLY; ignored"

CHUNK = 500


@dataclass
class Plan:
    entities: dict[tuple[str, uuid.UUID], Entity]  # what will be written
    declared: dict[tuple[str, str, uuid.UUID], set[uuid.UUID]]
    problems: list[Problem]
    warnings: list[Problem]
    skipped: list[dict]  # top-level records left out, each with its reasons
    tops: list[TopRecord]
    existing: dict[str, set[uuid.UUID]]
    refused: bool = False  # nothing is written
    spared: dict[str, set[uuid.UUID]] = field(default_factory=dict)  # never pruned: skipped

    def count_to_write(self) -> int:
        return len(self.entities)


def choose_sources(sources: list[SourceFile], collector: Collector) -> list[SourceFile]:
    """A folder that has both a table's standard name and another name for it (the official
    examples have schedule.csv and schedules.csv) is read under the standard name only."""
    present = {s.name.rsplit("/", 1)[-1].lower() for s in sources}
    chosen = []
    for source in sources:
        base = source.name.rsplit("/", 1)[-1].lower()
        kind = ALIASES.get(base)
        canonical = KINDS[kind].table if kind else None
        if canonical and canonical in present and canonical != base:
            collector.warn(source.name, "", WARNING_ALIAS.format(canonical=canonical))
            continue
        chosen.append(source)
    return chosen


def _existing_ids(wanted: dict[str, set[uuid.UUID]]) -> dict[str, set[uuid.UUID]]:
    found: dict[str, set[uuid.UUID]] = {}
    for kind_name, ids in wanted.items():
        model = KINDS[kind_name].model
        ids_list = list(ids)
        found[kind_name] = set()
        for start in range(0, len(ids_list), CHUNK):
            found[kind_name].update(
                model._default_manager.filter(id__in=ids_list[start : start + CHUNK]).values_list(
                    "id", flat=True
                )
            )
    return found


class Checker:
    def __init__(self, collector: Collector):
        self.c = collector
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for (kind_name, record_id), entity in collector.entities.items():
            wanted[kind_name].add(record_id)
            for ref in KINDS[kind_name].refs:
                value = entity.fields.get(ref.field)
                if value is not None:
                    wanted[ref.kind].add(value)
            if kind_name == "attribute" and entity.fields.get("link_id"):
                for linkable in LINKABLE:
                    wanted[linkable].add(entity.fields["link_id"])
        self.existing = _existing_ids(wanted)
        for kind_name in KINDS:
            self.existing.setdefault(kind_name, set())
        self._schedule_starts = self._schedules_with_dtstart()

    def _schedules_with_dtstart(self) -> set[uuid.UUID]:
        from hct.directory.models import Schedule

        ids = [
            e.id
            for e in self.c.entities.values()
            if e.kind == "schedule" and (e.fields.get("interval") or 1) > 1
        ]
        return set(
            Schedule.objects.filter(id__in=ids, dtstart__isnull=False).values_list("id", flat=True)
        )

    def has(self, kept, kind_name: str, value) -> bool:
        return (kind_name, value) in kept or value in self.existing[kind_name]

    def check(self, kept: dict, *, first_pass: bool) -> list[tuple[Entity, str, str]]:
        """Problems as (entity, field, message). Warnings are recorded on the first pass only."""
        found = []
        for entity in kept.values():
            kind = KINDS[entity.kind]
            fields = entity.fields
            for ref in kind.refs:
                value = fields.get(ref.field)
                if value is None or self.has(kept, ref.kind, value):
                    continue
                words = {"field": ref.field, "value": value, "kind": ref.kind.replace("_", " ")}
                if ref.hard:
                    in_import = (ref.kind, value) in self.c.entities
                    message = (ERROR_SKIPPED_TARGET if in_import else ERROR_MISSING_TARGET).format(
                        **words
                    )
                    found.append((entity, ref.field, message))
                elif first_pass:
                    self._warn(entity, ref.field, WARNING_SOFT.format(**words))
            if (
                kind.owners
                and entity.id not in self.existing[kind.name]
                and all(fields.get(owner) is None for owner in kind.owners)
            ):
                owners = " or ".join(
                    f"a {o.removesuffix('_id').replace('_', ' ')}" for o in kind.owners
                )
                message = ERROR_NO_OWNER.format(owners=owners, fields=" or ".join(kind.owners))
                found.append((entity, "", message))
            if first_pass:
                found += self._semantics(entity)
            if (
                entity.kind == "attribute"
                and fields.get("link_id")
                and not fields.get("link_entity")
            ):
                linked = [k for k in LINKABLE if self.has(kept, k, fields["link_id"])]
                if linked:
                    fields["link_entity"] = linked[0]
                elif first_pass:
                    self._warn(entity, "link_id", WARNING_LINK.format(value=fields["link_id"]))
        return found

    def _semantics(self, entity: Entity) -> list[tuple[Entity, str, str]]:
        fields, found = entity.fields, []
        if entity.kind == "service":
            low, high = fields.get("minimum_age"), fields.get("maximum_age")
            if low is not None and high is not None and low > high:
                found.append((entity, "maximum_age", ERROR_AGES.format(low=low, high=high)))
        if entity.kind in ("schedule", "cost_option"):
            start, to = fields.get("valid_from"), fields.get("valid_to")
            if start and to and to < start:
                found.append((entity, "valid_to", ERROR_DATES.format(to=to, start=start)))
        if entity.kind == "schedule":
            if (
                (fields.get("interval") or 1) > 1
                and fields.get("dtstart") is None
                and entity.id not in self._schedule_starts
            ):
                found.append((entity, "interval", ERROR_INTERVAL_NEEDS_DTSTART))
            if fields.get("freq") == "WEEKLY":
                byday = fields.get("byday") or ""
                if any(d.ordinal for d in parse_byday(byday)):
                    self._warn(entity, "byday", WARNING_ORDINAL.format(value=byday))
                if fields.get("bymonthday"):
                    self._warn(entity, "bymonthday", WARNING_BYMONTHDAY)
        return found

    def _warn(self, entity: Entity, name: str, message: str) -> None:
        origin = entity.origins[0]
        self.c.warn(origin.file, origin.where(name), message, entity.label)


def _problems_for(found: Iterable[tuple[Entity, str, str]]) -> list[tuple[str, Problem]]:
    rooted = []
    for entity, name, message in found:
        origin = entity.origins[0]
        problem = Problem(origin.file, origin.where(name), message, entity.label)
        for root in {o.root for o in entity.origins}:
            rooted.append((root, problem))
    return rooted


def _declare_tables(collector: Collector) -> None:
    """A CSV table speaks for every parent in the import: each keeps exactly the rows that name
    it (a service in services.csv with no row in schedule.csv has no schedules)."""
    for kind_name, children in collector.tables.items():
        kind = KINDS[kind_name]
        links = [(ref.field, ref.kind) for ref in kind.refs if ref.hard]
        if kind_name == "attribute":
            links = [("link_id", linkable) for linkable in LINKABLE]
        for link_field, parent_kind in links:
            if link_field == "taxonomy_term_id" or kind_name in ("service", "taxonomy_term"):
                # A term's attributes are shared vocabulary, and a table of services may list
                # some of an organisation's services: neither is pruned by a table (nor in JSON).
                continue
            for entity_kind, parent_id in list(collector.entities):
                if entity_kind != parent_kind:
                    continue
                key = (kind_name, link_field, parent_id)
                collector.declared.setdefault(key, set()).update(
                    children.get((link_field, parent_id), set())
                )


def build_plan(
    sources: list[SourceFile],
    *,
    kind_hint: str | None = None,
    valid_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Read every file, check every record, and decide what an import would write. Writes
    nothing. `progress(done, total)` is called as each top-level record is checked."""
    collector = Collector()
    for source in choose_sources(sources, collector):
        collector.read(source, kind_hint)
    total = collector.total
    if progress:
        collector.on_progress(lambda done: progress(done, total))
    collector.process()
    if not collector.tops and not collector.problems:
        for source in sources:
            collector.problem(None, "", ERROR_NOTHING, file=source.name)
    _declare_tables(collector)
    checker = Checker(collector)
    rooted = list(collector.problems)
    rooted += _problems_for(checker.check(collector.entities, first_pass=True))
    bad_roots = {root for root, _ in rooted if root}
    kept = collector.entities
    if valid_only:
        while True:
            kept = {
                key: e
                for key, e in collector.entities.items()
                if any(o.root not in bad_roots for o in e.origins)
            }
            more = [
                (root, p)
                for root, p in _problems_for(checker.check(kept, first_pass=False))
                if root not in bad_roots
            ]
            if not more:
                break
            rooted += more
            bad_roots |= {root for root, _ in more}
    problems = _unique(p for _, p in rooted)
    if not valid_only:
        return Plan(
            {} if problems else collector.entities,
            collector.declared,
            problems,
            collector.warnings,
            [],
            collector.tops,
            checker.existing,
            refused=bool(problems),
        )
    reasons: dict[str, list[str]] = defaultdict(list)
    for root, problem in rooted:
        text = f"{problem.where}: {problem.message}" if problem.where else problem.message
        if text not in reasons[root or problem.file]:
            reasons[root or problem.file].append(text)
    skipped = [
        {"record": top.label, "file": top.file, "where": top.at, "reasons": reasons[top.root]}
        for top in collector.tops
        if top.root in bad_roots
    ]
    for file in dict.fromkeys(p.file for root, p in rooted if not root):
        skipped.append(
            {"record": "the whole file", "file": file, "where": "", "reasons": reasons[file]}
        )
    # What is skipped is never pruned as "no longer listed": it was listed, but unreadable.
    spared: dict[str, set[uuid.UUID]] = defaultdict(set)
    for key, entity in collector.entities.items():
        if key not in kept:
            spared[entity.kind].add(entity.id)
    for kind_name, ids in collector.unread.items():
        spared[kind_name] |= ids
    declared = {key: ids for key, ids in collector.declared.items() if _parent_kept(key, kept)}
    return Plan(
        kept,
        declared,
        problems,
        collector.warnings,
        skipped,
        collector.tops,
        checker.existing,
        refused=not kept and bool(problems),
        spared=dict(spared),
    )


def _parent_kept(key: tuple[str, str, uuid.UUID], kept: dict) -> bool:
    child_kind, link_field, parent_id = key
    if link_field == "link_id":
        return any((linkable, parent_id) in kept for linkable in LINKABLE)
    parent_kinds = [ref.kind for ref in KINDS[child_kind].refs if ref.field == link_field]
    return any((parent_kind, parent_id) in kept for parent_kind in parent_kinds)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen, result = set(), []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            result.append(problem)
    return result
