"""Sam, on a phone 320 px wide, offers help from his own page, then says yes to a match a
facilitator has confirmed, from his list. axe checks every page; nothing scrolls sideways."""

import re

from playwright.sync_api import expect

from hct.matching import services
from hct.matching.models import Match
from tests.conftest import DEMO_PASSWORD


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sam_offers_help_and_accepts_a_match_on_a_phone(checked_page, demo_live):
    facilitator = demo_live.users["facilitator"]
    services.match_run(actor=facilitator)
    match = Match.objects.get(need=demo_live.sam_shopping_need)
    services.match_confirm(actor=facilitator, match=match)

    page = checked_page.page
    page.set_viewport_size({"width": 320, "height": 640})
    checked_page.sign_in("sam", DEMO_PASSWORD)
    checked_page.goto("/matching/mine/")
    _fits(page)
    page.get_by_role("link", name="Offer help").click()
    checked_page.axe()
    _fits(page)
    page.get_by_label("Practical help: shopping").check()
    page.get_by_label("Tell us more, in your own words").fill("<b>Mornings</b> suit me")
    page.get_by_label("Which day are you free?").select_option(label="Tuesday")
    page.get_by_label("From what time?").fill("11:00")
    page.get_by_label("Until what time?").fill("10:00")
    page.get_by_role("button", name="Save my offer").click()
    checked_page.axe()
    expect(page.get_by_role("alert")).to_contain_text("The time it ends must be after")
    page.get_by_label("Until what time?").fill("12:30")
    page.get_by_role("button", name="Save my offer").click()
    checked_page.axe()
    _fits(page)
    expect(page.get_by_text("Your offer of help is saved")).to_be_visible()
    expect(page.get_by_text("<b>Mornings</b> suit me")).to_be_visible()
    expect(page.get_by_text("Tuesday 11:00–12:30")).to_be_visible()

    card = page.locator(".govuk-summary-card", has_text=f"Match {match.pk}")
    expect(card.get_by_text("Waiting for your answer")).to_be_visible()
    card.get_by_role("button", name=re.compile("Yes, I would like this")).click()
    checked_page.axe()
    _fits(page)
    expect(page.get_by_text("the answer is recorded")).to_be_visible()
    expect(card.get_by_text("You said yes. Waiting for the other side")).to_be_visible()
    match.refresh_from_db()
    assert match.need_side_accepted is True
