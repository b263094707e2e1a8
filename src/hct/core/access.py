"""Who may reach a view.

Every view needs sign-in (Django's LoginRequiredMiddleware) unless it is marked `@public`; the
URL-walking test keeps the list of public views explicit. `@roles_required` refuses every other
role with 403, logs the refusal and leaves an audit event.
"""

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from hct.core.roles import Role

security_log = logging.getLogger("hct.security")

Found = TypeVar("Found")


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone: it must show nothing personal."""
    view = login_not_required(view)
    view.hct_public = True  # type: ignore[attr-defined]
    return view


def deny(request: HttpRequest, reason: str = "role") -> PermissionDenied:
    """Log and audit an authorisation failure, and return the exception to raise."""
    from hct.core.services import audit_record

    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else request.path
    security_log.warning(
        "access denied: user=%s role=%s view=%s reason=%s",
        getattr(request.user, "pk", None),
        getattr(request.user, "role", ""),
        view_name,
        reason,
    )
    audit_record(
        actor=request.user,
        verb="access.denied",
        subject_type="view",
        subject_id=view_name[:64],
        details={"reason": reason},
    )
    return PermissionDenied(reason)


def roles_required(*roles: Role | Iterable[Role]) -> Callable[[Callable], Callable]:
    """Allow only users whose role is one of `roles` (each argument a role or a set of roles)."""
    allowed: set[str] = set()
    for role in roles:
        if isinstance(role, str):
            allowed.add(role)
        else:
            allowed.update(role)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if getattr(request.user, "role", None) not in allowed:
                raise deny(request)
            return view(request, *args, **kwargs)

        wrapped.hct_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def found(thing: Found | None, what: str = "Not found") -> Found:
    """What a selector found, or a 404: the view's way to say "no such thing" in one line."""
    if thing is None:
        raise Http404(what)
    return thing
