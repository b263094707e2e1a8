"""A facilitator records a journey during a conversation with the keyboard alone: touchpoints
told out of order, a reorder where the dates overlap, a gap; then reads the timeline and its
table. axe checks every page and every swapped-in state."""

import re

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def _add_touchpoint(
    page, checked_page, *, when, who=None, new_name=None, new_kind=None, what, felt_steps=0
):
    """Fill the add-touchpoint form from the "When" field with Tab, typing and arrow keys."""
    expect(page.get_by_label("When", exact=True)).to_be_focused()
    page.keyboard.type(when)
    page.keyboard.press("Tab")  # Who or what
    if who:
        page.keyboard.type(who)
    page.keyboard.press("Tab")  # Or someone new: their name
    if new_name:
        page.keyboard.type(new_name)
    page.keyboard.press("Tab")  # What kind of actor they are
    if new_kind:
        page.keyboard.type(new_kind)
    page.keyboard.press("Tab")  # What happened
    page.keyboard.type(what)
    page.keyboard.press("Tab")  # How it felt: the checked radio ("Neither")
    for _ in range(abs(felt_steps)):
        page.keyboard.press("ArrowDown" if felt_steps > 0 else "ArrowUp")
    page.keyboard.press("Tab")  # Note
    page.keyboard.press("Tab")  # Add touchpoint
    expect(page.locator("#add-touchpoint-button")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    checked_page.axe()


def test_a_facilitator_records_a_journey_with_the_keyboard(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    checked_page.axe()
    page.get_by_role("link", name="Sam (not his real name)").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam (not his real name)")

    page.get_by_role("link", name="Start another journey").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.axe()
    page.get_by_label("Title").focus()
    page.keyboard.type("Since the move")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Since the move")

    page.get_by_label("When", exact=True).focus()
    _add_touchpoint(page, checked_page, when="March 2019", who="The GP", what="Referral")
    status = page.locator("#journey-status")
    expect(status).to_contain_text("Touchpoint added at number 1")
    _add_touchpoint(
        page, checked_page, when="August 2019", who="Talking", what="Assessment", felt_steps=1
    )
    # Told out of order: an earlier part of the story, with someone new. The dates put it first.
    _add_touchpoint(
        page,
        checked_page,
        when="the 2000s",
        new_name="My sister",
        new_kind="Family",
        what="Something",
        felt_steps=1,
    )
    expect(status).to_contain_text("Touchpoint added at number 1")
    # Told last, and 2019 allows last: it goes last until the person says otherwise.
    _add_touchpoint(
        page, checked_page, when="2019", who="The postman", what="An everyday", felt_steps=-1
    )
    editor = page.locator(".hct-editor__list")
    expect(editor.locator("li")).to_have_count(4)
    expect(editor.locator("li").nth(0)).to_contain_text("the 2000s")
    expect(editor.locator("li").nth(3)).to_contain_text("2019 · An everyday community act")

    # The postman's daily chat came before the referral: move it up twice, with Enter alone.
    editor.locator("li").nth(3).get_by_role("button", name=re.compile("^Move up")).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    checked_page.axe()
    expect(status).to_contain_text("is now number 3 of 4")
    assert page.evaluate("document.activeElement.id").startswith("move-up-")
    page.keyboard.press("Enter")  # focus stayed on the same button: once more
    page.wait_for_load_state("networkidle")
    checked_page.axe()
    expect(status).to_contain_text("is now number 2 of 4")
    expect(editor.locator("li").nth(1)).to_contain_text("The postman")
    # The assessment in August cannot come before the referral in March: the dates say no,
    # and the error summary (focused) says why.
    editor.locator("li").nth(3).get_by_role("button", name=re.compile("^Move up")).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    checked_page.axe()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must stay in time order")
    expect(page.locator("#journey-error-summary")).to_be_focused()

    # A gap: the long wait between the referral and the assessment.
    page.get_by_label("Between", exact=True).focus()
    page.keyboard.type("3. Referral")
    page.keyboard.press("Tab")
    page.keyboard.type("4. Assessment")
    page.keyboard.press("Tab")
    page.keyboard.type("Long wait")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#add-gap-button")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    checked_page.axe()
    expect(status).to_contain_text("Gap recorded: Long wait, between 3 and 4")

    # The timeline: four touchpoints, shaped by how they felt, and the gap beneath the lanes.
    svg = page.locator("svg.hct-timeline__svg")
    expect(svg.locator("g.hct-timeline__point")).to_have_count(4)
    expect(svg.locator("g.hct-timeline__point--hindered")).to_have_count(2)
    expect(svg.locator("g.hct-timeline__point--helped")).to_have_count(1)
    expect(svg).to_contain_text("Long wait")
    expect(svg.locator("desc")).to_contain_text(
        "4 touchpoints from the 2000s to August 2019: 1 helped, 2 hindered, 1 gap"
    )
    # … and its table says the same, in order.
    rows = page.locator("#touchpoint-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("My sister")
    expect(rows.nth(1)).to_contain_text("The postman")
    expect(rows.nth(2)).to_contain_text("Referral")
    expect(rows.nth(2)).to_contain_text("Long wait (to 4)")
    expect(rows.nth(3)).to_contain_text("Hindered")
    expect(page.get_by_role("heading", name="Gaps between services")).to_be_visible()

    # Reload: what was recorded is kept, and the page passes axe as a whole.
    page.reload()
    checked_page.axe()
    expect(page.locator("#touchpoint-table tbody tr")).to_have_count(4)


def test_the_gap_analysis_and_sams_journey_pass_axe_for_partner_and_sam(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("partner", DEMO_PASSWORD)
    checked_page.goto("/gap-analysis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gap analysis")
    expect(page.get_by_text("These figures are published with disclosure control")).to_be_visible()
    checked_page.goto("/journeys/")
    page.get_by_role("link", name="The system, as Sam tells it").click()
    checked_page.axe()
    expect(page.locator("svg.hct-timeline__svg g.hct-timeline__point")).to_have_count(14)
    page.get_by_role("button", name="Sign out").click()
    checked_page.axe()
    checked_page.sign_in("sam", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My record").click()
    checked_page.axe()
    expect(page.get_by_role("heading", name="What keeps me well")).to_be_visible()
    page.get_by_role("link", name="My story", exact=True).first.click()
    checked_page.axe()
    expect(page.locator(".hct-story mark").first).to_be_visible()
