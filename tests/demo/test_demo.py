import pytest
from django.apps import apps

from hct.demo.services import ACCOUNTS, demo_load
from hct.partnership.models import Cycle, Stage
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_loading_the_demo_again_changes_nothing():
    before = _counts()
    summary = demo_load(password=DEMO_PASSWORD)
    assert summary.created == []
    assert _counts() == before


def test_the_demo_has_one_account_per_role_and_seven_cycles(demo):
    for username, role, *_ in ACCOUNTS:
        user = demo.users[username]
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    assert Cycle.objects.filter(partnership=demo.partnership).count() == 7
    assert demo.first_cycle.current_stage == Stage.BIG_CONVERSATION_3
    assert "illustrative" in demo.first_cycle.note
    assert demo.partnership.partners.count() == 4


def test_an_explicit_password_is_applied_on_a_second_run(demo):
    demo_load(password="another-demo-password", password_given=True)
    demo.users["sam"].refresh_from_db()
    assert demo.users["sam"].check_password("another-demo-password")
