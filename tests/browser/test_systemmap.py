"""A facilitator opens Sam's map: the drawing loads, filtering to broken links fades the rest
(and the tables follow when the filters are applied), and focusing on an actor narrows both.
axe checks every page."""

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def test_sams_map_filters_to_broken_links_and_focuses_on_an_actor(checked_page, demo_live):
    from hct.people.models import Person

    sam = Person.objects.get(user__username="sam")
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    checked_page.goto(f"/people/{sam.pk}/")
    page.get_by_role("link", name="See the map of their system").click()
    checked_page.axe()
    drawing = page.get_by_test_id("system-map")
    expect(drawing).to_have_attribute("data-ready", "true")
    assert page.evaluate("document.getElementById('system-map').cy.nodes().length") > 2
    expect(drawing).to_have_attribute("data-faded", "0")

    page.get_by_label("Broken", exact=True).check()
    faded = int(drawing.get_attribute("data-faded"))
    assert faded > 0
    with page.expect_navigation():
        page.get_by_role("button", name="Apply the filters").click()
    checked_page.axe()
    statuses = page.get_by_test_id("links-table").locator("tbody .govuk-tag").all_inner_texts()
    assert statuses and set(statuses) == {"Broken"}

    focus = page.get_by_label("Focus on")
    options = focus.locator("option").all_inner_texts()
    focus.select_option(label=options[1])
    assert int(drawing.get_attribute("data-faded")) >= faded
    with page.expect_navigation():
        page.get_by_role("button", name="Apply the filters").click()
    checked_page.axe()
    expect(page.get_by_label("Focus on")).to_have_value(focus.input_value())
    page.screenshot(path="/tmp/sam-map.png", full_page=False)


def test_a_partner_reads_the_neighbourhood_map_and_its_analysis(checked_page, demo_live):
    from hct.partnership.models import Cycle

    slug = Cycle.objects.order_by("pk").first().neighbourhood.slug
    page = checked_page.page
    checked_page.sign_in("partner", DEMO_PASSWORD)
    checked_page.goto(f"/map/{slug}/")
    expect(page.get_by_test_id("system-map")).to_have_attribute("data-ready", "true")
    page.get_by_label("Layout").select_option("force")
    page.get_by_role("link", name="Analysis: brokers, gaps, bridges, loops").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the map shows")


def test_a_facilitator_keeps_a_snapshot_changes_a_link_and_reads_the_history(
    checked_page, demo_live
):
    from hct.partnership.models import Cycle

    slug = Cycle.objects.order_by("pk").first().neighbourhood.slug
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    checked_page.goto(f"/map/{slug}/snapshots/")
    page.get_by_label("Name of the snapshot").fill("Before cycle 1")
    page.get_by_role("button", name="Keep the snapshot").click()
    checked_page.axe()
    checked_page.goto(f"/map/{slug}/")
    page.get_by_test_id("links-table").get_by_role("link", name="Change").first.click()
    checked_page.axe()
    page.get_by_label("Strained").check()
    page.get_by_role("button", name="Save the link").click()
    checked_page.axe()
    checked_page.goto(f"/map/{slug}/snapshots/")
    page.get_by_role("link", name="Before cycle 1").click()
    checked_page.axe()
    expect(page.get_by_role("cell", name="Changed").first).to_be_visible()
    checked_page.goto(f"/map/{slug}/history/")
    expect(page.get_by_role("cell", name="Changed a link")).to_be_visible()
    checked_page.goto(f"/map/{slug}/import/")
    checked_page.goto(f"/map/{slug}/links/new/")
