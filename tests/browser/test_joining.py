"""A facilitator invites someone who has no email; they join with the code read out to them, on
a phone-sized screen, and land on the welcome page (issue 13 item 1, issue 14 item 4)."""

import re

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def test_a_facilitator_invites_and_the_invitee_joins_with_the_code(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    checked_page.goto(f"/partnership/{demo_live.partnership.slug}/")
    page.get_by_role("link", name=re.compile("^Invitations")).click()
    checked_page.axe()
    page.get_by_role("link", name="Invite someone").click()
    checked_page.axe()
    page.get_by_label("Who is it for?").fill("Lynne")
    page.get_by_role("button", name="Make the invitation").click()
    checked_page.axe()
    heading = page.locator(".govuk-panel__title")
    expect(heading).to_contain_text("Their code is")
    code = heading.inner_text().rsplit(" ", 1)[-1]

    page.get_by_role("button", name="Sign out").click()
    checked_page.axe()
    page.set_viewport_size({"width": 320, "height": 640})
    page.get_by_role("link", name="Join with your code").click()
    checked_page.axe()
    page.get_by_label("Your invitation code").fill(code.lower())
    page.get_by_role("button", name="Next").click()
    checked_page.axe()
    page.get_by_label("Your first name").fill("Lynne")
    page.get_by_label("Choose a username").fill("lynne")
    page.get_by_label("Choose a password").fill("lift me up campaign")
    page.get_by_label("Type the password again").fill("lift me up campaign")
    page.get_by_role("button", name="Join").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Lynne")
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll
