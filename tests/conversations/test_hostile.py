"""Whatever is typed as a contribution is kept exactly and shown escaped; the board's queries do
not grow with its items."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.conversations import services
from hct.conversations.models import Contribution

pytestmark = pytest.mark.django_db

# What a person can type: any text but NUL (which the form refuses, as PostgreSQL would), with
# something in it besides spaces.
typed = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
).filter(lambda t: t.strip())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=typed)
def test_any_contribution_is_kept_as_typed_and_shown_escaped(client_for, demo, text):
    client = client_for("facilitator")
    url = reverse("conversations:contributions", args=[demo.conversation.pk])
    response = client.post(url, {"kind": "note", "text": text})
    assert response.status_code == 302, response.content.decode()[:500]
    saved = Contribution.objects.filter(conversation=demo.conversation).latest("id")
    assert saved.text == text
    assert escape(text) in client.get(url).content.decode()


def test_the_board_makes_the_same_queries_for_many_items(
    client_for, demo, django_assert_max_num_queries
):
    client = client_for("facilitator")
    board = demo.sensemaking_conversation
    url = reverse("conversations:iceberg", args=[board.pk])
    client.get(url)
    jo = demo.users["facilitator"]
    for i in range(30):
        item = services.item_add(actor=jo, conversation=board, level="patterns", text=f"Item {i}")
        services.evidence_add(actor=jo, item=item, contribution=demo.contribution)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.content.decode().count('hct-iceberg__item"') >= 34
