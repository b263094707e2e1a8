import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from hct.core.roles import Role


class User(AbstractUser):
    """A person who signs in. Their role decides what kind of thing they may see."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COMMUNITY)

    class Meta:
        db_table = "core_user"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def label(self) -> str:
        return str(self)


ERROR_AUDIT_APPEND_ONLY = "Audit events are append-only: they cannot be changed or deleted"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(ERROR_AUDIT_APPEND_ONLY)

    def delete(self):
        raise PermissionError(ERROR_AUDIT_APPEND_ONLY)


class AuditEvent(models.Model):
    """An append-only record that something mattering happened.

    Details never hold personal data: ids and counts, not names or text. The database refuses
    updates and deletes (triggers in the migration), so nobody, admin included, can rewrite history.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No FK constraint: erasing a user must not rewrite or block the audit trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, blank=True)
    verb = models.CharField(max_length=80, db_index=True)
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(ERROR_AUDIT_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(ERROR_AUDIT_APPEND_ONLY)


class Job(models.Model):
    """A piece of long work (an import, a matching run, a report) run by `hct worker`, with the
    progress a page shows while it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker has started it: more than one after a lost worker or a retry.
    attempts = models.PositiveSmallIntegerField(default=0)
    # The task (Django's task framework) that carries it now; a retry gets a new one.
    task_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, round(100 * self.progress / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WorkerBeat(models.Model):
    """A running `hct worker` process and its last heartbeat: how the other workers know it is
    alive (and which task it is running), and what the administrator sees of the workers."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    current_task = models.CharField(max_length=64, blank=True)
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} (pid {self.pid})"
