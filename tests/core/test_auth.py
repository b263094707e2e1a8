import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from hct.core.middleware import SIGNED_IN_AT
from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.core.services import user_create
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("core:sign-in")


def _sign_in(client, username="facilitator", password=DEMO_PASSWORD, **extra):
    return client.post(
        SIGN_IN, {"username": username, "password": password, **extra}, REMOTE_ADDR="10.0.0.1"
    )


def test_signing_in_gives_a_new_session_and_an_audit_event():
    client = Client()
    client.get(SIGN_IN)
    before = client.cookies.get("sessionid")
    response = _sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.cookies["sessionid"].value != (before.value if before else None)
    assert AuditEvent.objects.filter(verb="auth.sign_in").exists()


def test_a_wrong_password_gets_one_message_that_does_not_say_which_part_was_wrong():
    response = _sign_in(Client(), password="not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a correct username and password" in body
    assert "There is a problem" in body  # the GOV.UK error summary
    assert response.context["form"].errors
    assert "<title>Error: Sign in" in body
    assert AuditEvent.objects.filter(verb="auth.sign_in_failed").exists()


def test_repeated_failures_lock_the_account_out_for_a_while():
    client = Client()
    for _ in range(5):
        _sign_in(client, password="wrong-password-again")
    response = _sign_in(client)  # the right password, but too late
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_an_unsafe_next_address_is_ignored():
    response = _sign_in(Client(), next="https://evil.example/")
    assert response["Location"] == reverse("core:home")


def test_a_safe_next_address_is_followed():
    response = _sign_in(Client(), next=reverse("places:neighbourhood-list"))
    assert response["Location"] == reverse("places:neighbourhood-list")


def test_sign_out_ends_the_session(client_for):
    client = client_for(Role.FACILITATOR)
    response = client.post(reverse("core:sign-out"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_a_session_ends_after_the_absolute_timeout(client_for):
    client = client_for(Role.FACILITATOR)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 13 * 60 * 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_the_idle_timeout_is_refreshed_by_each_request(settings, client_for):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = client_for(Role.FACILITATOR)
    client.get(reverse("core:home"))
    assert client.cookies["sessionid"]["max-age"] == 30 * 60


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_passwords_must_be_long_and_uncommon(password, message):
    with pytest.raises(ValidationError) as error:
        user_create(actor=None, username="newperson", password=password, role=Role.PARTNER)
    assert message in " ".join(error.value.messages)
    assert not get_user_model().objects.filter(username="newperson").exists()


def test_permission_refusals_are_logged_and_audited(client_for, caplog):
    client = client_for(Role.COMMUNITY)
    with caplog.at_level("WARNING", logger="hct.security"):
        response = client.get(reverse("places:where-next"))
    assert response.status_code == 403
    assert "access denied" in caplog.text
    assert AuditEvent.objects.filter(verb="access.denied", actor_role=Role.COMMUNITY).exists()


@override_settings(AXES_ENABLED=True)
def test_security_headers_on_every_page(client_for):
    response = Client().get(reverse("core:about"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # No literal 'nonce' (an invalid source the browser reports): a real nonce or none at all.
    assert "'nonce'" not in csp
    assert "script-src 'self'" in csp
    signed_in = client_for(Role.PARTNER).get(reverse("core:home"))
    assert signed_in["Cache-Control"] == "no-store"
