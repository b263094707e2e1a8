"""Writes that belong to core: the audit trail and accounts."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction

from hct.core.models import AuditEvent
from hct.core.roles import Role

User = get_user_model()


def audit_record(
    *,
    actor: Any,
    verb: str,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one audit event. `details` must hold no personal data (ids and counts only)."""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = subject.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_role=getattr(actor, "role", "") if is_user else "",
        verb=verb,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details or {},
    )


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Any:
    """Create an account whose password passes the validators; admins are staff for Django admin."""
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, verb="user.create", subject=user, details={"role": role})
    return user
