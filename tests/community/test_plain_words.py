"""No professionals' jargon on a page a community member sees (issue 13 item 8). The
readability score is not measured here yet: textstat 0.7 needs NLTK's cmudict, which it
downloads at first use, so it does not work offline."""

import re

import pytest
from django.urls import reverse

from hct.core.roles import Role
from tests.community.pages import COMMUNITY_PAGES

pytestmark = pytest.mark.django_db

JARGON = ("LSOA", "MSOA", "betweenness", "IMD decile", "deprivation decile", "centrality")


def _visible_text(html: str) -> str:
    # The page's own words: <main>. The footer's licence attribution (which names "MSOA" and
    # "IMD") is the same on every page and is not yet reworded: see issue 13 item 8.
    html = re.search(r"(?is)<main\b.*?</main>", html).group(0)
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


@pytest.mark.parametrize("url_name", COMMUNITY_PAGES)
def test_a_community_page_has_no_jargon(client_for, demo, url_name):
    response = client_for(Role.COMMUNITY).get(reverse(url_name))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    found = [word for word in JARGON if re.search(rf"\b{re.escape(word)}\b", text, re.I)]
    assert found == [], f"{url_name} says {found}"
