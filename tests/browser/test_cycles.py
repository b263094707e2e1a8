"""The loop closes at its join: a facilitator chooses the next neighbourhood on Where next,
starts its cycle, reads the lessons carried in from the cycles before, sees where the new cycle
stands (nothing done yet, said plainly), holds its first Big Conversation there (invitations,
the door) and finds the cycle, with the conversation held, among every cycle running. axe checks
every page."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def test_a_facilitator_starts_the_next_cycle_and_its_first_big_conversation(
    checked_page, demo_live
):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    checked_page.goto("/places/where-next/")
    # The demo runs cycles in the top seven; the eighth is next.
    eighth = page.get_by_label(re.compile(r"^8\. "))
    name = re.match(r"8\. (.+) \(score", eighth.evaluate("e => e.labels[0].innerText")).group(1)
    eighth.check()
    page.get_by_label("Why these neighbourhoods?").fill("Next on the ranking, and asked for us")
    page.get_by_role("button", name="Save this choice").click()
    checked_page.axe()

    page.get_by_role("link", name=f"start a cycle in {name}").click()
    checked_page.axe()
    if page.get_by_role("heading", name=re.compile("choose the partnership")).count():
        page.get_by_role("link", name=demo_live.partnership.name).click()
        checked_page.axe()
    expect(page.get_by_label("Neighbourhood")).to_have_value(re.compile(r"\d+"))
    # Left as drawn: the cycle starts today, and the one starting it takes part without
    # ticking themselves (they are not even offered), so its page is theirs to see.
    today = dt.date.today()
    expect(page.get_by_label("The day the poolside stage starts")).to_have_value(today.isoformat())
    me = demo_live.users["facilitator"]
    expect(page.get_by_label(f"{me.get_full_name()} (Facilitator)")).to_have_count(0)
    page.get_by_role("button", name="Start the cycle").click()
    checked_page.axe()
    summary = page.locator(".govuk-error-summary")
    assert not summary.count(), summary.inner_text()

    # The new cycle opens on the lessons of the ones before it.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(f"Cycle 8: {name}"))
    expect(page.get_by_role("heading", name="Lessons of earlier cycles")).to_be_visible()
    expect(page.get_by_text("The person sees the gaps the services cannot").first).to_be_visible()
    # Where it stands, from the data: nothing yet, said plainly.
    expect(
        page.get_by_text("No story is chosen for the centre of a Big Conversation yet")
    ).to_be_visible()

    page.get_by_role("link", name=re.compile("^Plan a Big Conversation")).first.click()
    checked_page.axe()
    page.get_by_label("Cycle").select_option(label=f"{demo_live.partnership.name}: cycle 8, {name}")
    page.get_by_label("Which Big Conversation").fill("1")
    page.get_by_label("What it is for").fill("Meet each other, with a story at the centre")
    page.get_by_label("Venue").fill("The community centre")
    page.get_by_label("Date").fill(today.isoformat())  # held today
    page.get_by_role("button", name="Save the conversation").click()
    checked_page.axe()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The conversation is planned"
    )

    # Invite both sides of the room, then hold it: mark who came at the door.
    page.get_by_role("link", name="Invitations and replies").click()
    checked_page.axe()
    for person, sector in (("Lynne", "Community member"), ("Dr Okafor", "NHS")):
        page.get_by_label("Name", exact=True).fill(person)
        page.get_by_label(sector, exact=True).check()
        page.get_by_role("button", name="Invite", exact=True).click()
        checked_page.axe()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
    page.get_by_role("link", name="At the door").first.click()
    checked_page.axe()
    for person in ("Lynne", "Dr Okafor"):
        row = page.locator(".hct-door__row", has_text=person)
        row.get_by_role("button", name=re.compile("^Here")).click()
        checked_page.axe()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{person} is here")
    page.get_by_label("Name", exact=True).fill("Ray")
    page.get_by_label("Organisation or group (optional)").fill("The Men's Shed")
    page.get_by_label("Community group", exact=True).check()
    page.get_by_role("button", name="They are here").click()
    checked_page.axe()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Ray is here")

    checked_page.goto("/learning/cycles/")
    expect(page.get_by_role("link", name=f"Cycle 8: {name}")).to_be_visible()
    page.get_by_role("link", name=f"Cycle 8: {name}").click()
    checked_page.axe()
    held = page.locator("dd", has_text=f"Held on {today:%-d %B %Y}")
    expect(held).to_contain_text(re.compile(r"^\s*Done .* in the room"))
