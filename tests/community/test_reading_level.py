"""Every community member's page reads at about age 9 to 11 (issue 13 item 8).

The measure is the Flesch-Kincaid grade of each page's own words (its <main>), from textstat.
It gives a US school grade, and a child in grade G is about G + 5 years old, so age 9 to 11 is
grades 4 to 6: a page passes at grade 6 or below. Flesch-Kincaid rather than SMOG, because
SMOG is defined on 30 sentences or more and a page here has a handful; rather than Flesch
reading ease, because a grade says an age without a table to read it through (grade 6 is a
reading ease of about 80, "easy")."""

import pytest
from django.urls import reverse

from hct.core.roles import Role
from tests.community.pages import COMMUNITY_PAGES, page_args
from tests.community.readability import offline_textstat, page_sentences

pytestmark = pytest.mark.django_db

HARDEST_GRADE = 6.0


@pytest.fixture(scope="module")
def textstat(tmp_path_factory):
    return offline_textstat(tmp_path_factory.mktemp("nltk_data"))


def test_the_measure_tells_plain_words_from_officialese(textstat):
    plain = "We can help you find a friend. You can tell us what you need. We will call you."
    official = (
        "The partnership facilitates collaborative commissioning across statutory organisations, "
        "prioritising interventions addressing multidimensional deprivation."
    )
    assert textstat.flesch_kincaid_grade(plain) <= HARDEST_GRADE
    assert textstat.flesch_kincaid_grade(official) > 12


def test_a_page_is_read_block_by_block():
    html = (
        "<header><p>Not this</p></header><main><h1>My record</h1>"
        "<p>You can change <a href='#'>what you need</a> at any time</p>"
        "<ul><li>Ask for help with shopping</li></ul><script>var x = 'not words';</script></main>"
    )
    assert page_sentences(html) == [
        "You can change what you need at any time.",
        "Ask for help with shopping.",
    ]


@pytest.mark.parametrize("url_name", COMMUNITY_PAGES)
def test_a_community_page_reads_at_age_9_to_11(client_for, demo, textstat, url_name):
    response = client_for(Role.COMMUNITY).get(reverse(url_name, args=page_args(url_name, demo)))
    assert response.status_code == 200
    sentences = page_sentences(response.content.decode())
    grade = textstat.flesch_kincaid_grade(" ".join(sentences))
    hardest = sorted(sentences, key=textstat.flesch_kincaid_grade)[-3:]
    assert grade <= HARDEST_GRADE, f"{url_name} reads at grade {grade:.1f}; hardest: {hardest}"
