"""Sam, on a phone 320 px wide, signs up for a Big Conversation open to Foleshill, gets the code
for the door and the calendar file, and gives the place up (issue 13, item 5). axe checks every
page; no page scrolls sideways."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from hct.conversations import services
from hct.conversations.models import Participant
from tests.conftest import DEMO_PASSWORD


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sam_signs_up_gets_the_calendar_and_gives_the_place_up(checked_page, demo_live):
    conversation = services.conversation_create(
        actor=demo_live.users["facilitator"],
        cycle=demo_live.first_cycle,
        number=4,
        title="What happened next",
        purpose="Back together, to see what has changed since the plan.",
        venue="St Mary's church hall",
        venue_hints="Side door on Church Lane; step-free",
        date=timezone.localdate() + dt.timedelta(days=14),
        starts_at=dt.time(18),
        ends_at=dt.time(20),
        places=30,
        open_to_neighbourhood=True,
    )
    page = checked_page.page
    page.set_viewport_size({"width": 320, "height": 640})
    checked_page.sign_in("sam", DEMO_PASSWORD)

    page.goto(checked_page.base_url + "/")
    checked_page.axe()
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("button", name="Menu").click()  # folded away on a narrow screen
    menu.get_by_role("link", name="Big Conversations").click()
    checked_page.axe()
    assert _fits(page)
    page.get_by_role("link", name="Big Conversation 4: What happened next").click()
    checked_page.axe()
    assert _fits(page)

    page.get_by_role("button", name="Sign me up").click()
    checked_page.axe()
    assert _fits(page)
    code = Participant.objects.get(conversation=conversation, person=demo_live.sam).code
    expect(page.get_by_role("heading", name="Your code for the door")).to_be_visible()
    expect(page.get_by_text(code, exact=True)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add it to my calendar").click()
    download = download_info.value
    assert download.suggested_filename == "big-conversation-4.ics"
    with open(download.path(), encoding="utf-8") as ics:
        body = ics.read()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Big Conversation 4: What happened next" in body

    page.get_by_role("button", name="Give up my place").click()
    checked_page.axe()
    assert _fits(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have given up your place"
    )
    expect(page.get_by_role("button", name="I can come after all")).to_be_visible()
    assert (
        Participant.objects.get(conversation=conversation, person=demo_live.sam).reply
        == Participant.Reply.NOT_COMING
    )
