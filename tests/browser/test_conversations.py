"""Conversation 2 end to end in a real browser: capture contributions, build the iceberg by
keyboard (and by dragging), accept a suggested theme, write the vision. Then the door and the
story at the centre of conversation 1. axe checks every page."""

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def _submit(page, checked_page, button_name):
    page.get_by_role("button", name=button_name, exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.axe()


def test_conversation_2_from_contributions_to_a_vision(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Big Conversations"
    ).click()
    checked_page.axe()
    page.get_by_role("link", name="Big Conversation 2: Making sense").click()
    checked_page.axe()
    conversation_url = page.url

    # Capture what is said, in seconds, by keyboard.
    page.get_by_role("link", name="Contributions").click()
    checked_page.axe()
    for text in (
        "Nobody rings back after a referral: the letter is where it ends.",
        "Waiting-list rules punish anyone who changes a time.",
    ):
        page.get_by_label("What was said").fill(text)
        page.get_by_label("Who said it (their sector)").select_option("community_member")
        _submit(page, checked_page, "Capture")
        expect(page.get_by_text(text)).to_be_visible()

    # Build the iceberg: add an item at events, then move it down a level by keyboard.
    page.goto(conversation_url)
    checked_page.axe()
    page.get_by_role("link", name="Iceberg").click()
    checked_page.axe()
    page.get_by_label("Events: What just happened?").check()
    page.get_by_label("The item").fill("Sam's referral letter went unanswered")
    _submit(page, checked_page, "Add to the board")
    events = page.locator("section[data-level=events]")
    expect(events.get_by_text("Sam's referral letter went unanswered", exact=True)).to_be_visible()
    events.locator("li", has_text="Sam's referral letter went unanswered").get_by_role(
        "button", name="Down to patterns"
    ).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.axe()
    patterns = page.locator("section[data-level=patterns]")
    expect(
        patterns.get_by_text("Sam's referral letter went unanswered", exact=True)
    ).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Moved to patterns")

    # Drag and drop does the same, for those who use a mouse.
    item = patterns.locator("li", has_text="Sam's referral letter went unanswered")
    with page.expect_navigation():
        # Picked up by its words, not by one of its buttons.
        item.drag_to(
            page.locator("section[data-level=structures]"), source_position={"x": 12, "y": 12}
        )
    checked_page.axe()
    expect(
        page.locator("section[data-level=structures]").get_by_text(
            "Sam's referral letter went unanswered", exact=True
        )
    ).to_be_visible()

    # Accept a suggested theme, in the facilitator's words.
    _submit(page, checked_page, "Suggest themes")
    expect(page.locator("#themes ~ .govuk-summary-card").first).to_be_visible()
    page.locator("#themes ~ .govuk-summary-card").first.get_by_role("link", name="Accept").click()
    checked_page.axe()
    page.get_by_label("The iceberg item, in your words").fill("Services that wait for people")
    page.get_by_label("Structures: What structures influence the patterns?").check()
    _submit(page, checked_page, "Put it on the board")
    structures = page.locator("section[data-level=structures]")
    expect(structures.get_by_text("Services that wait for people", exact=True)).to_be_visible()

    # Write the vision together, answering the new item.
    page.get_by_role("link", name="A better story (the vision)").click()
    checked_page.axe()
    page.get_by_role("link", name="Revise the vision").click()
    checked_page.axe()
    page.get_by_label("A better story").fill(
        "Sam tells his story once, and the services ring back."
    )
    page.get_by_label("Structures: Services that wait for people").check()
    page.get_by_label("What changed and why (optional)").fill("After the iceberg")
    _submit(page, checked_page, "Save this revision")
    expect(page.get_by_text("Revision 2 (shown)")).to_be_visible()
    expect(
        page.get_by_text("Sam tells his story once, and the services ring back.")
    ).to_be_visible()
    expect(page.locator("li", has_text="Services that wait for people")).to_be_visible()

    # The printable page of the cycle holds it all.
    page.goto(conversation_url)
    checked_page.axe()
    page.get_by_role("link", name="Iceberg").click()
    checked_page.axe()
    page.get_by_role("link", name="Print the iceberg, vision and plan").click()
    checked_page.axe()
    expect(
        page.get_by_text("Sam tells his story once, and the services ring back.")
    ).to_be_visible()


def test_the_door_and_the_story_at_the_centre(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    checked_page.goto(f"/conversations/{demo_live.conversation.pk}/")
    page.get_by_role("link", name="At the door: who is here").click()
    checked_page.axe()
    row = page.locator(f"#p-{demo_live.conversation.participants.get(name='Father Michael').pk}")
    row.get_by_role("button", name="Here").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.axe()
    expect(row.locator(".govuk-tag")).to_have_text("Here")
    page.get_by_label("Their code").fill(
        demo_live.conversation.participants.get(name="Ray").code.lower()
    )
    _submit(page, checked_page, "Mark them here")
    expect(page.locator(".govuk-error-summary")).to_contain_text("already marked as here")
    page.get_by_label("Name").fill("Ray")
    page.get_by_label("Organisation or group (optional)").fill("The Men's Shed")
    page.get_by_label("Community group").check()
    _submit(page, checked_page, "They are here")
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be counted twice")

    checked_page.goto(f"/conversations/{demo_live.conversation.pk}/story/centre/")
    expect(page.locator(".hct-centre__quote").first).to_be_visible()
    expect(page.get_by_role("button", name="Show full screen")).to_be_visible()
    checked_page.goto(f"/conversations/{demo_live.conversation.pk}/report/")
    checked_page.goto(f"/conversations/{demo_live.plan_conversation.pk}/plan/")
    checked_page.goto(f"/conversations/{demo_live.plan_conversation.pk}/plan/actions/new/")
    checked_page.goto(f"/conversations/{demo_live.conversation.pk}/invitations/")


def test_an_item_marks_a_link_on_the_map(checked_page, demo_live):
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    item = demo_live.iceberg_item
    checked_page.goto(f"/conversations/{item.conversation_id}/iceberg/{item.pk}/")
    page.get_by_label("From", exact=True).select_option(index=1)
    page.get_by_label("To", exact=True).select_option(index=2)
    page.get_by_label("Kind of link").select_option("referral")
    page.locator("label[for=id_link_status_0]").click()
    page.get_by_label("Note (optional)").fill("Nobody rings back after a referral")
    _submit(page, checked_page, "Mark it on the map")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked on the map")
    slug = item.conversation.cycle.neighbourhood.slug
    page.locator(f"main a[href='/map/{slug}/']").first.click()
    checked_page.axe()
    expect(page.get_by_test_id("said-at-conversations")).to_contain_text(
        "Nobody rings back after a referral"
    )
