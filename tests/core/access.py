from hct.core.roles import Role
from tests.access_rules import only, public, signed_in

ACCESS = {
    "core:home": signed_in(),
    "core:sign-in": public(),
    "core:about": public(),
    "core:privacy": public(),
    "core:accessibility": public(),
    "core:data-sources": public(),
    "core:healthz": public(),
    # Ready only with a fresh worker heartbeat, which the demo world has not: 503 for everyone.
    "core:readyz": public(503),
    # Signing out is a POST; a GET is not allowed once signed in.
    "core:sign-out": signed_in(405),
    # The admin sends everyone who is not an administrator to sign in.
    "admin:index": only([Role.ADMIN], other=302),
    # Its login page hands everyone to the one sign-in page (lockout and audit cover it too).
    "admin:login": signed_in(302),
}
PUBLIC_VIEWS = {
    "core:sign-in",
    "core:about",
    "core:privacy",
    "core:accessibility",
    "core:data-sources",
    "core:healthz",
    "core:readyz",
}

# A job's progress: the person who started it, and admins.
ACCESS["core:job"] = only(
    [Role.FACILITATOR, Role.ADMIN], kwargs=lambda demo: {"job_id": demo.job.pk}
)

# The background workers' health: administrators only.
ACCESS["core:workers"] = only([Role.ADMIN])
