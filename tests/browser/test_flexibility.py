"""A facilitator starts from the gap analysis ("people told us their appointment was not
flexible"), describes the talking therapies waiting list with the figures of the people who run
it, runs today's rules and "keep your place" in the background, and reads the two side by side:
the plain-words summary and the table. Then the learning side by side lists both. axe checks
every page."""

import re

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def _run(checked_page):
    page = checked_page.page
    page.get_by_role("button", name="Run the scenario").click()
    page.wait_for_load_state()
    checked_page.axe()
    expect(page.get_by_text("Waiting to start")).to_be_visible()


def test_a_facilitator_runs_two_scenarios_and_reads_them_side_by_side(
    checked_page, demo_live, settings
):
    settings.HCT_JOBS_INLINE = False  # the runs wait for a worker, as in production
    page = checked_page.page
    here = demo_live.first_neighbourhood.name
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gap analysis").click()
    checked_page.axe()
    page.get_by_role("navigation", name="Neighbourhoods").get_by_role("link", name=here).click()
    checked_page.axe()
    expect(
        page.get_by_text(re.compile(f"people told us their appointment was not flexible in {here}"))
    ).to_be_visible()
    page.get_by_role("link", name=re.compile("Start a scenario")).click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Describe a service")
    expect(page.get_by_text(re.compile(f"people in {here} told us"))).to_be_visible()

    page.get_by_role("button", name="Save the description").click()
    checked_page.axe()  # the error summary: the service has no name yet
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Service", exact=True).fill("Talking therapies")
    page.get_by_label("Referrals per week").fill("6")
    page.get_by_label("Sessions per week").fill("40")
    page.get_by_label("Sessions per course").fill("4")
    page.get_by_label("People who need to change an appointment (%)").fill("30")
    page.get_by_label("Sources").fill("The service's referral figures, Sept–Oct 2026")
    page.get_by_role("button", name="Save the description").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talking therapies")

    page.get_by_role("link", name="Today's rules").click()
    checked_page.axe()
    expect(page.get_by_text("Started from the gap analysis")).to_be_visible()
    _run(checked_page)
    page.get_by_role("link", name="Talking therapies").first.click()
    checked_page.axe()
    page.get_by_role("link", name="Add a scenario").click()
    checked_page.axe()
    expect(page.get_by_label("Name")).to_have_value("Keep your place")
    page.get_by_role("button", name="Save the scenario").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keep your place")
    _run(checked_page)

    assert checked_page.run_worker() == 2
    checked_page.axe()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    page.get_by_role("link", name="Side by side with the other scenarios").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scenarios side by side")
    expect(page.get_by_role("heading", name="In plain words")).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(
                "Keeping people's place when they rebook: people who had to change an "
                r"appointment wait a median of [\d.]+ weeks instead of [\d.]+"
            )
        )
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Each scenario's results")).first
    expect(table.get_by_role("columnheader", name="Today's rules")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Keep your place")).to_be_visible()
    expect(
        table.get_by_role("row", name=re.compile(r"Start within 6 weeks \(standard 75%\)"))
    ).to_be_visible()

    checked_page.goto("/learning/side-by-side/")
    scenarios = page.get_by_role("table", name="Scenarios run, by neighbourhood and service")
    expect(scenarios.get_by_role("row")).to_have_count(3)  # the header and two scenarios
    expect(
        page.get_by_text(re.compile("the best alternative tried, “Keep your place”"))
    ).to_be_visible()
