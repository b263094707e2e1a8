"""Walk the URLconf: every view is either on the public list or sends anonymous users to sign in,
and every role gets exactly the status its row in tests/<app>/access.py says (DESIGN.md's roles).

A new URL that is in no access table fails here, so nobody can add a view without deciding who
may see it (18F tock's test_url_auth, Zulip's table of expected statuses).
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access_rules import ANONYMOUS, ROLES, SIGN_IN


def _access_tables():
    access, public = {}, set()
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            table = importlib.import_module(f"tests.{module.name}.access")
        except ModuleNotFoundError:
            continue
        overlap = set(access) & set(table.ACCESS)
        assert not overlap, f"URL names in two access tables: {overlap}"
        access.update(table.ACCESS)
        public |= table.PUBLIC_VIEWS
    return access, public


ACCESS, PUBLIC_VIEWS = _access_tables()


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else None, pattern.callback


def _our_views():
    for name, callback in _walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "")
        if module.startswith("hct."):
            yield name, callback


def test_every_view_of_ours_is_in_an_access_table():
    missing = sorted(str(name) for name, _ in _our_views() if name not in ACCESS)
    assert not missing, f"views with no row in any tests/<app>/access.py: {missing}"


def test_public_views_are_exactly_the_public_list():
    public = {
        name for name, callback in _our_views() if not getattr(callback, "login_required", True)
    }
    assert public == PUBLIC_VIEWS


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(ACCESS))
def test_role_gets_what_the_table_says(url_name, role, demo, client_for):
    rule = ACCESS[url_name]
    client = client_for(None if role == ANONYMOUS else role)
    url = reverse(url_name, kwargs=rule.kwargs(demo))
    if rule.query:
        url += "?" + rule.query
    response = getattr(client, rule.method)(url)
    expected = rule.statuses[role]
    assert response.status_code == expected, (
        f"{role} on {url}: {response.status_code}, expected {expected}"
    )
    if role == ANONYMOUS and expected == SIGN_IN and url_name not in PUBLIC_VIEWS:
        final = client.get(url, follow=True).redirect_chain[-1][0]
        assert final.startswith(reverse("core:sign-in")), final
    if role != ANONYMOUS and response.status_code == 200:
        assert response["Cache-Control"] == "no-store"
