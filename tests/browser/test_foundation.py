"""A facilitator signs in and finds the neighbourhoods, the partnership and its charter."""

import re

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def test_facilitator_finds_the_neighbourhoods_partnership_and_charter(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Jo Bennett")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_live.partnership.name)
    expect(page.get_by_role("table").first).to_contain_text(demo_live.first_neighbourhood.name)

    page.get_by_role("link", name="Read the charter and its history").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poolside charter")
    page.get_by_label("Earlier revision").select_option("1")
    page.get_by_label("Later revision").select_option("2")
    page.get_by_role("button", name="Compare").click()
    checked_page.axe()
    expect(page.locator("ins").first).to_be_visible()

    checked_page.goto(f"/places/neighbourhoods/{demo_live.first_neighbourhood.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_live.first_neighbourhood.name)
    # The map draws one shape per LSOA from the GeoJSON, with the table beside it.
    lsoas = demo_live.first_neighbourhood.lsoas.count()
    expect(page.locator("#lsoa-map path.leaflet-interactive")).to_have_count(lsoas)
    expect(
        page.get_by_role("table", name=re.compile("most deprived first")).locator("tbody tr")
    ).to_have_count(lsoas)

    checked_page.goto("/places/where-next/")
    page.get_by_text("Change the weights").click()
    page.get_by_label("Population", exact=True).fill("10")
    page.get_by_role("button", name="Rank again").click()
    checked_page.axe()
    expect(page.get_by_role("table").first.locator("tbody tr")).to_have_count(18)


def test_errors_are_summarised_and_linked_to_their_fields(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", "not the password")
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )

    checked_page.sign_in("partner", DEMO_PASSWORD)
    checked_page.goto(f"/partnership/{demo_live.partnership.slug}/charter/revise/")
    page.get_by_label("Our felt purpose").fill("")
    page.get_by_role("button", name="Save revision").click()
    checked_page.axe()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Our felt purpose")).to_be_focused()


def test_a_refused_inline_style_or_script_is_caught_as_a_console_error(checked_page):
    """The pages are served with their real Content Security Policy, and what it refuses reaches
    the test as a console error (the fixture fails a test on any at teardown)."""
    page = checked_page.goto("/about/")
    page.evaluate(
        """() => {
          const style = document.createElement("style");
          style.textContent = "body { color: red }";
          document.head.appendChild(style);
          const script = document.createElement("script");
          script.textContent = "window.ranInline = true";
          document.head.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ranInline === undefined")
    refused = [e for e in checked_page.errors if "Content Security Policy" in e]
    assert len(refused) == 2, checked_page.errors
    checked_page.errors.clear()  # caught as it should be: not a failure of this test
