"""Accounts and people for scope tests: facilitators in and out of Sam's neighbourhood."""

import time

from django.test import Client

from hct.core.middleware import SIGNED_IN_AT
from hct.core.roles import Role
from hct.core.services import user_create
from hct.partnership.services import membership_add


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client


def facilitator(demo, username: str, neighbourhoods):
    """Another facilitator of the demo partnership, whose scope is `neighbourhoods`."""
    user = user_create(
        actor=None,
        username=username,
        password="a-long-enough-password-1",
        role=Role.FACILITATOR,
        first_name=username.title(),
    )
    membership_add(
        actor=None, partnership=demo.partnership, user=user, neighbourhoods=list(neighbourhoods)
    )
    return user


def partner(demo, username: str, neighbourhoods):
    user = user_create(
        actor=None, username=username, password="a-long-enough-password-1", role=Role.PARTNER
    )
    membership_add(
        actor=None, partnership=demo.partnership, user=user, neighbourhoods=list(neighbourhoods)
    )
    return user
