"""Writes for the directory: importing Open Referral UK data, the uploads that queue an import,
and the community assets facilitators record."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hct.core.models import User
from hct.core.services import audit_record
from hct.directory.importer.plan import Plan, build_plan
from hct.directory.importer.records import Problem
from hct.directory.importer.sources import SourceError, SourceFile, read_upload
from hct.directory.importer.write import WriteRefused, write
from hct.directory.models import (
    Attribute,
    ImportRun,
    Location,
    LocationType,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from hct.directory.schedules import DAYS

ERROR_NO_FILE = "Choose a file to upload"
ERROR_EMPTY_FILE = "The file is empty"
ERROR_NAME = "Enter the name of the community asset"
ERROR_NO_DAYS = "Choose at least one day, or leave the times empty"
ERROR_TIMES = "The closing time must be after the opening time"
ERROR_LSOA = "Choose an LSOA in a neighbourhood you work in"

Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    plan: Plan
    counts: dict = field(default_factory=dict)

    @property
    def imported(self) -> bool:
        return not self.plan.refused

    def summary(self) -> dict:
        return {
            "records": len(self.plan.tops),
            **self.counts,
            "problems": len(self.plan.problems),
            "warnings": len(self.plan.warnings),
            "skipped": len(self.plan.skipped),
        }

    def describe(self) -> str:
        """One line for people: what happened."""
        if not self.imported:
            n = len(self.plan.problems)
            return f"Nothing was imported: {n} problem{'s' if n != 1 else ''} found."
        created = sum(self.counts.get("created", {}).values())
        updated = sum(self.counts.get("updated", {}).values())
        unchanged = sum(self.counts.get("unchanged", {}).values())
        removed = sum(self.counts.get("removed", {}).values())
        text = f"Imported: {created} created, {updated} updated, {unchanged} unchanged"
        if removed:
            text += f", {removed} no longer listed removed"
        if self.plan.skipped:
            text += f"; {len(self.plan.skipped)} skipped"
        return text + "."


def _every_step(progress: Progress | None) -> Progress:
    """Progress per record for small imports; for large ones, about every half per cent (each
    report is a write, and a worker should not spend its time on them)."""
    if progress is None:
        return lambda done, total, message: None

    def report(done: int, total: int, message: str) -> None:
        if done in (0, total) or done % max(1, total // 200) == 0:
            progress(done, total, message)

    return report


class ImportRefused(Exception):
    """Problems were found and nothing was written; `result.plan.problems` says where."""

    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__(result.describe())


def oruk_import(
    *,
    actor: User | None,
    sources: list[SourceFile],
    kind: str | None = None,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ORUK JSON or CSV: every record is checked before anything is written, then
    everything is written in one transaction, each record created or updated in place by its
    id. By default any problem refuses the whole import (ImportRefused) and nothing changes;
    with `valid_only` the records with problems (and those that depend on them) are skipped and
    named, and the rest are written."""
    report = _every_step(progress)
    plan = build_plan(
        sources,
        kind_hint=kind,
        valid_only=valid_only,
        progress=lambda done, total: report(done, total, f"Checked {done} of {total} records"),
    )
    result = ImportResult(plan)
    if plan.refused:
        raise ImportRefused(result)
    total = len(plan.entities)
    report(0, total, f"Writing {total} records")
    try:
        with transaction.atomic():
            result.counts = write(
                plan, progress=lambda done: report(done, total, f"Wrote {done} of {total} records")
            )
            audit_record(
                actor=actor,
                verb="directory.import",
                subject_type="directory.import",
                details={
                    "files": len(sources),
                    "records": len(plan.tops),
                    "skipped": len(plan.skipped),
                    **{k: sum(v.values()) for k, v in result.counts.items()},
                },
            )
    except WriteRefused as error:
        plan.problems.append(error.problem)
        plan.refused = True
        plan.entities = {}
        result.counts = {}
        raise ImportRefused(result) from None
    return result


# -- uploads and the background job ---------------------------------------------------------------


@transaction.atomic
def import_run_create(
    *, actor: User, file_name: str, content: bytes, valid_only: bool = False, kind: str = ""
) -> ImportRun:
    """Keep an uploaded file until the import job has read it."""
    if not file_name:
        raise ValidationError({"file": ERROR_NO_FILE})
    if not content:
        raise ValidationError({"file": ERROR_EMPTY_FILE})
    run = ImportRun(
        file_name=file_name[:255],
        content=content,
        size=len(content),
        valid_only=valid_only,
        kind=kind,
        created_by=actor,
    )
    run.full_clean(exclude=["content"])
    run.save()
    audit_record(actor=actor, verb="directory.upload", subject=run, details={"bytes": len(content)})
    return run


def import_run_attach_job(*, run: ImportRun, job_id) -> None:
    """Remember which job imports the upload, so the report can link to its progress."""
    run.job_id = job_id
    run.save(update_fields=["job_id"])


def import_run_execute(
    *, run: ImportRun, actor: User, progress: Progress | None = None
) -> ImportRun:
    """Import an uploaded file and keep its report (the file itself is then dropped). The
    import's writes are all or nothing; the report is written whatever happens."""
    try:
        sources = read_upload(run.file_name, bytes(run.content))
        result = oruk_import(
            actor=actor,
            sources=sources,
            kind=run.kind or None,
            valid_only=run.valid_only,
            progress=progress,
        )
    except ImportRefused as refused:
        result = refused.result
    except SourceError as error:
        plan = Plan(
            entities={},
            declared={},
            problems=[Problem(error.file, error.where, error.message)],
            warnings=[],
            skipped=[],
            tops=[],
            existing={},
            refused=True,
        )
        result = ImportResult(plan)
    run.status = ImportRun.Status.IMPORTED if result.imported else ImportRun.Status.REFUSED
    run.summary = {**result.summary(), "text": result.describe()}
    run.problems = [p.as_dict() for p in result.plan.problems]
    run.warnings = [p.as_dict() for p in result.plan.warnings]
    run.skipped = result.plan.skipped
    run.content = b""
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "status",
            "summary",
            "problems",
            "warnings",
            "skipped",
            "content",
            "finished_at",
        ]
    )
    return run


# -- community assets -----------------------------------------------------------------------------

COMMUNITY_NAMESPACE = uuid.UUID("5d0c0e4e-51a5-4b8e-9a51-6c6f6d6d756e")


@dataclass
class Opening:
    days: list[str]  # MO … SU
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    freq: str = Schedule.Freq.WEEKLY
    description: str = ""


@transaction.atomic
def community_asset_create(
    *,
    actor: User | None,
    name: str,
    description: str,
    lsoa,
    run_by: str = "",
    place_name: str = "",
    terms: list[TaxonomyTerm] | None = None,
    openings: list[Opening] | None = None,
    illustrative: bool = False,
    asset_id: uuid.UUID | None = None,
) -> Service:
    """A community asset is a directory entry like any service (so the ORUK API serves it), marked
    as a community asset and placed at its LSOA's population-weighted centroid: never a street
    address. Its categories are attributes, its opening times schedules."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ERROR_NAME})
    asset_id = asset_id or uuid.uuid4()
    organization = None
    if run_by.strip():
        organization = Organization.objects.filter(name=run_by.strip()).first()
        if organization is None:
            organization = Organization(
                id=uuid.uuid5(asset_id, "organization"),
                name=run_by.strip(),
                description=f"Runs {name}.",
            )
            organization.full_clean()
            organization.save(force_insert=True)
    service = Service(
        id=asset_id,
        organization=organization,
        name=name,
        description=description.strip(),
        status=Service.Status.ACTIVE,
        community_asset=True,
        illustrative=illustrative,
        last_modified=timezone.now(),
    )
    service.full_clean()
    service.save(force_insert=True)
    location = Location(
        id=uuid.uuid5(asset_id, "location"),
        location_type=LocationType.PHYSICAL,
        name=place_name.strip() or name,
        description=f"Shown at the centre of {lsoa.name} ({lsoa.code}), not at a street address.",
        latitude=lsoa.latitude,
        longitude=lsoa.longitude,
        lsoa=lsoa,
    )
    location.full_clean()
    location.save(force_insert=True)
    link = ServiceAtLocation(
        id=uuid.uuid5(asset_id, "service_at_location"), service=service, location=location
    )
    link.full_clean()
    link.save(force_insert=True)
    for term in terms or []:
        attribute = Attribute(
            id=uuid.uuid5(asset_id, f"attribute:{term.id}"),
            link_id=service.id,
            link_entity=Attribute.Entity.SERVICE,
            link_type="category",
            taxonomy_term=term,
        )
        attribute.full_clean()
        attribute.save(force_insert=True)
    for index, opening in enumerate(openings or []):
        if opening.opens_at and opening.closes_at and opening.closes_at <= opening.opens_at:
            raise ValidationError({"closes_at": ERROR_TIMES})
        if not opening.days:
            raise ValidationError({"days": ERROR_NO_DAYS})
        schedule = Schedule(
            id=uuid.uuid5(asset_id, f"schedule:{index}"),
            service=service,
            freq=opening.freq,
            interval=1,
            byday=",".join(d for d in opening.days if d.lstrip("-0123456789") in DAYS),
            opens_at=opening.opens_at,
            closes_at=opening.closes_at,
            description=opening.description,
        )
        schedule.full_clean()
        schedule.save(force_insert=True)
    audit_record(
        actor=actor,
        verb="directory.community_asset.create",
        subject=service,
        details={"lsoa": lsoa.code, "terms": len(terms or []), "openings": len(openings or [])},
    )
    return service


@transaction.atomic
def services_mark_illustrative(*, actor: User | None, ids: list[uuid.UUID]) -> int:
    """Mark made-up listings (the demo's) so that every page says they are not real."""
    services = list(Service.objects.filter(id__in=ids, illustrative=False))
    for service in services:
        service.illustrative = True
        service.save(update_fields=["illustrative", "updated_at"])
    if services:
        audit_record(
            actor=actor,
            verb="directory.mark_illustrative",
            subject_type="directory.service",
            details={"services": [str(s.id) for s in services]},
        )
    return len(services)
