"""No professionals' jargon on a page a community member sees (issue 13 item 8); the reading
level is measured in test_reading_level.py."""

import re

import pytest
from django.urls import reverse

from hct.core.roles import Role
from tests.community.pages import COMMUNITY_PAGES, page_args

pytestmark = pytest.mark.django_db

JARGON = ("LSOA", "MSOA", "IMD", "betweenness", "constraint", "decile", "centrality")


def _visible_text(html: str) -> str:
    # The whole page a member reads: header, <main> and the footer's licence credits.
    html = re.search(r"(?is)<body\b.*?</body>", html).group(0)
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


@pytest.mark.parametrize("url_name", COMMUNITY_PAGES)
def test_a_community_page_has_no_jargon(client_for, demo, url_name):
    response = client_for(Role.COMMUNITY).get(reverse(url_name, args=page_args(url_name, demo)))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    found = [word for word in JARGON if re.search(rf"\b{re.escape(word)}\b", text, re.I)]
    assert found == [], f"{url_name} says {found}"


def test_staff_pages_keep_the_terms_and_say_what_they_mean(client_for, demo):
    text = _visible_text(client_for(Role.FACILITATOR).get(reverse("core:home")).content.decode())
    assert "MSOA (middle layer super output area" in " ".join(text.split())
    assert "IMD (Index of Multiple Deprivation)" in " ".join(text.split())
