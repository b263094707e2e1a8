"""How each URL's expected access is written down, app by app (tests/<app>/access.py).

`expect(...)` takes the status each role gets; anonymous users of a non-public view are always
expected to be sent to sign-in (302 to /sign-in/). `kwargs` builds the URL's arguments from the
demo world.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from hct.core.roles import Role

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *[r.value for r in Role]]
SIGN_IN = 302


@dataclass(frozen=True)
class Expect:
    statuses: dict[str, int]
    kwargs: Callable = field(default=lambda demo: {})
    method: str = "get"
    query: str = ""


def expect(kwargs=None, *, method="get", query="", anonymous=SIGN_IN, **statuses) -> Expect:
    missing = {r.value for r in Role} - set(statuses)
    if missing:
        raise ValueError(f"say what every role gets; missing {sorted(missing)}")
    return Expect({ANONYMOUS: anonymous, **statuses}, kwargs or (lambda demo: {}), method, query)


def signed_in(status=200, **kwargs) -> Expect:
    """Every signed-in role gets `status`."""
    return expect(kwargs.pop("kwargs", None), **{r.value: status for r in Role}, **kwargs)


def only(roles, kwargs=None, *, ok=200, other=403, **options) -> Expect:
    """The roles named get `ok`, every other signed-in role `other`."""
    allowed = {Role(r).value for r in roles}
    return expect(
        kwargs, **{r.value: (ok if r.value in allowed else other) for r in Role}, **options
    )


def public(status=200, kwargs=None) -> Expect:
    return expect(kwargs, anonymous=status, **{r.value: status for r in Role})
