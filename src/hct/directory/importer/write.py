"""Writing a checked import: every record created or updated in place by its ORUK id, children
no longer listed removed, all in the caller's transaction."""

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from hct.directory.importer.kinds import KINDS, Kind, write_order
from hct.directory.importer.plan import Plan
from hct.directory.importer.records import Entity, Problem
from hct.places.selectors import lsoa_locator


class WriteRefused(Exception):
    """A record the checks let through but the model refuses (a last line of defence)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _model_field(kind: Kind, name: str) -> models.Field:
    return kind.model_field(name)


def _value(field: models.Field, value):
    if value is None and not field.null:
        return ""
    return value


def write(plan: Plan, *, progress: Callable[[int], None] | None = None) -> dict:
    """Create or update every planned record; return counts per kind. Run it in a transaction."""
    created: Counter[str] = Counter()
    updated: Counter[str] = Counter()
    unchanged: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    locate = None
    now = timezone.now()
    done = 0
    for kind in write_order():
        entities = [e for e in plan.entities.values() if e.kind == kind.name]
        if not entities:
            continue
        existing = kind.model._default_manager.in_bulk([e.id for e in entities])
        foreign_keys = [f.name for f in kind.model._meta.concrete_fields if f.is_relation]
        fresh = []
        for entity in entities:
            # Any: the kind's model is chosen at run time, and each kind has its own fields.
            record: Any = existing.get(entity.id)
            is_new = record is None
            if is_new:
                record = kind.model(id=entity.id)
            changed = []
            for name, value in entity.fields.items():
                field = _model_field(kind, name)
                value = _value(field, value)
                if is_new or getattr(record, field.attname) != value:
                    setattr(record, field.attname, value)
                    changed.append(field.name)
            if (
                kind.name == "service"
                and "last_modified" not in entity.fields
                and (is_new or changed)
            ):
                record.last_modified = now
                changed.append("last_modified")
            if kind.name == "location" and (is_new or {"latitude", "longitude"} & set(changed)):
                if locate is None:
                    locate = lsoa_locator()
                lsoa_id = locate(record.latitude, record.longitude) if record.has_point else None
                if is_new or lsoa_id != record.lsoa_id:
                    record.lsoa_id = lsoa_id
                    changed.append("lsoa")
            if is_new or changed:
                _clean(record, entity, foreign_keys)
                if is_new:
                    fresh.append(record)
                    created[kind.name] += 1
                else:
                    record.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
                    updated[kind.name] += 1
            else:
                unchanged[kind.name] += 1
            done += 1
            if progress:
                progress(done)
        # New records go in together: a feed of thousands is thousands of rows, not round trips.
        kind.model._default_manager.bulk_create(fresh, batch_size=BATCH)
    for (child_kind, link_field), keep in _relations(plan).items():
        model = KINDS[child_kind].model
        parents = list(keep)
        stale = []
        for start in range(0, len(parents), BATCH):
            rows = model._default_manager.filter(
                **{f"{link_field}__in": parents[start : start + BATCH]}
            )
            for child_id, parent_id in rows.values_list("id", link_field):
                if child_id not in keep[parent_id]:
                    stale.append(child_id)
        for start in range(0, len(stale), BATCH):
            _, per_model = model._default_manager.filter(
                id__in=stale[start : start + BATCH]
            ).delete()
            removed[child_kind] += per_model.get(model._meta.label, 0)
    return {
        "created": dict(created),
        "updated": dict(updated),
        "unchanged": dict(unchanged),
        "removed": dict(removed),
    }


BATCH = 500


def _relations(plan: Plan) -> dict[tuple[str, str], dict]:
    """For each kind of child and the field that names its parent: each parent that was already
    in the directory, and the children it keeps (those listed, and any skipped as unreadable)."""
    relations: dict[tuple[str, str], dict] = {}
    for (child_kind, link_field, parent_id), ids in plan.declared.items():
        if not _existed(plan, child_kind, link_field, parent_id):
            continue  # a new record has no children to lose
        keep = set(ids) | plan.spared.get(child_kind, set())
        relations.setdefault((child_kind, link_field), {})[parent_id] = keep
    return relations


def _existed(plan: Plan, child_kind: str, link_field: str, parent_id) -> bool:
    if link_field == "link_id":
        return any(parent_id in ids for ids in plan.existing.values())
    kinds = [ref.kind for ref in KINDS[child_kind].refs if ref.field == link_field]
    return any(parent_id in plan.existing.get(kind, set()) for kind in kinds)


def _clean(record: models.Model, entity: Entity, foreign_keys: list[str]) -> None:
    """The model's own rules. References were checked across the whole import (a target may be
    written in this same import), so foreign keys are not looked up again one by one; the
    database keeps its constraints, and ids were checked for clashes before writing."""
    try:
        record.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        origin = entity.origins[0]
        if hasattr(error, "error_dict"):
            name, messages = next(iter(error.message_dict.items()))
            where = origin.where("" if name == "__all__" else name)
            message = "; ".join(messages)
        else:
            where, message = origin.where(), "; ".join(error.messages)
        raise WriteRefused(Problem(origin.file, where, message, entity.label)) from None
