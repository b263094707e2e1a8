"""A facilitator runs matching, reviews the proposals for Sam — help with his shopping, someone to
look after his dog — and confirms them; Sam then sees them with no more than an alias, the offer
and the neighbourhood, and says yes. axe checks every page."""

import re
import threading

from playwright.sync_api import expect

from hct.matching.models import Match
from tests.conftest import DEMO_PASSWORD


def _confirm(checked_page, name: str):
    page = checked_page.page
    page.get_by_role("link", name=name).click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Match \d+"))
    page.get_by_role("button", name="Confirm this match").click()
    checked_page.axe()
    expect(page.get_by_text("Confirmed. Now ask both sides")).to_be_visible()
    expect(page.get_by_text("Confirmed: waiting for both sides")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Matching").click()
    checked_page.axe()


def test_a_facilitator_confirms_matches_for_sams_shopping_and_his_dog(
    checked_page, demo_live, settings
):
    from hct.core.jobs import work

    settings.HCT_JOBS_INLINE = False  # the run waits for a worker, as in production
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Matching").click()
    checked_page.axe()
    page.get_by_role("button", name="Run matching for the people in my neighbourhoods").click()
    page.wait_for_load_state()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    # The worker picks the run up; the page, polling, follows it to the end.
    worker = threading.Thread(target=work, kwargs={"once": True})
    worker.start()
    worker.join(timeout=60)
    expect(page.get_by_text(re.compile("The matching run proposed"))).to_be_visible(timeout=15_000)
    checked_page.axe()
    page.get_by_role("link", name="Review the proposals").click()
    checked_page.axe()
    proposals = page.get_by_role("table", name="Proposals to review")
    expect(proposals.get_by_role("row", name=re.compile("Practical help: shopping"))).to_have_count(
        1
    )

    sam = "Sam (not his real name)"
    _confirm(checked_page, f"{sam}, Practical help: shopping")
    _confirm(checked_page, f"{sam}, Practical help: looking after a pet")
    waiting = page.get_by_role("table", name="Confirmed, waiting for both sides")
    expect(waiting.get_by_role("row", name=re.compile(re.escape(sam)))).to_have_count(2)

    shopping = Match.objects.get(need__person__alias=sam, need__kind="shopping")
    assert shopping.status == Match.Status.CONFIRMED

    page.context.clear_cookies()
    checked_page.sign_in("sam", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Give and get help"
    ).click()
    checked_page.axe()
    page.get_by_role("link", name=f"Match {shopping.pk}").first.click()
    checked_page.axe()
    expect(page.get_by_text("Chris (synthetic)")).to_be_visible()
    expect(page.get_by_text(shopping.offer.in_their_words)).to_have_count(0)
    page.get_by_role("button", name="Yes, I would like this").click()
    checked_page.axe()
    expect(page.get_by_text("the answer is recorded")).to_be_visible()
    shopping.refresh_from_db()
    assert shopping.need_side_accepted is True
