"""A facilitator logs a lesson and makes the board report (in the background, with progress);
then reads the report with its charts and tables, and the other learning pages. axe checks
every page."""

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def test_a_facilitator_logs_a_lesson_and_makes_the_board_report(checked_page, demo_live, settings):
    settings.HCT_JOBS_INLINE = False  # the report waits for a worker, as in production
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Learning").click()
    checked_page.axe()
    page.get_by_role("link", name=f"Cycle 1: {demo_live.first_neighbourhood.name}").click()
    checked_page.axe()
    page.get_by_role("link", name="Log a lesson").click()
    checked_page.axe()

    page.get_by_role("button", name="Add to the learning log").click()
    checked_page.axe()  # the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Fill in “What we learned”")

    page.get_by_label("What we tried").fill("Meeting in the social club, not the council offices")
    page.get_by_label("What happened").fill("Twice as many people came")
    page.get_by_label("What we learned").fill("Meet people where they already gather")
    page.get_by_label("What we will do differently").fill("Ask the community where to meet")
    page.get_by_label("Field note: Field note of 24 October 2025", exact=False).check()
    page.get_by_role("button", name="Add to the learning log").click()
    checked_page.axe()
    expect(
        page.get_by_role("heading", name="Meet people where they already gather")
    ).to_be_visible()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Learning").click()
    checked_page.axe()
    page.get_by_role("link", name="Board and funder reports").click()
    checked_page.axe()
    page.get_by_label("Partnership board report").check()
    page.get_by_role("button", name="Make the report").click()
    checked_page.axe()
    expect(page.get_by_text("Waiting to start")).to_be_visible()

    assert checked_page.run_worker() == 1
    checked_page.axe()
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
    expect(
        page.get_by_role(
            "img",
            name="People heard, by neighbourhood: a chart of the figures in the table beside it",
        )
    ).to_be_visible()
    expect(page.get_by_role("table", name="People heard, by neighbourhood")).to_be_visible()
    expect(page.get_by_text("Meet people where they already gather").first).to_be_visible()

    for path in (
        "/learning/side-by-side/",
        "/learning/side-by-side/map/",
        "/learning/open-data/",
        f"/learning/field-notes/{demo_live.field_note.pk}/",
    ):
        checked_page.goto(path)
    page.get_by_role("link", name="Add an asset we found").click()
    checked_page.axe()
    checked_page.goto(f"/learning/people/{demo_live.sam.pk}/well-being/new/")
    page.get_by_role("button", name="Record the answers").click()
    checked_page.axe()
