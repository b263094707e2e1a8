"""Anyone, without signing in, goes from the list of places to a neighbourhood's promises, opens
one and follows its history from the promise through its milestones to done; then the partner
who owns another promise signs in and reports on it. Every page passes axe."""

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


def test_a_visitor_follows_a_commitment_from_the_public_page_to_its_history(
    checked_page, demo_live
):
    demo = demo_live
    page = checked_page.goto("/commitments/public/")
    page.get_by_role("link", name=demo.first_neighbourhood.name).click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.first_neighbourhood.name)
    page.get_by_label("Show").select_option("overdue")
    page.get_by_role("button", name="Show").click()
    checked_page.axe()
    expect(page.get_by_text("Clear fly-tipping from the river path")).to_be_visible()
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Show").click()
    checked_page.axe()
    page.get_by_role("link", name="A talking therapies drop-in at the community centre").click()
    checked_page.axe()
    history = page.locator(".hct-history > li h3")
    expect(history).to_have_text(
        [
            "Big Conversation 1: A humanising encounter",
            "The gaps behind it",
            "Big Conversation 2: Making sense",
            "Big Conversation 3: The plan",
            "Commitment made",
            "Not started → In progress",
            "Room booked at the community centre",
            "First Tuesday drop-in held",
            "In progress → Done",
        ]
    )
    page.get_by_role("link", name=demo.commitment.owner.name).click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.commitment.owner.name)


def test_the_owner_reports_progress_and_the_public_page_shows_it(checked_page, demo_live):
    demo = demo_live
    checked_page.sign_in("partner", DEMO_PASSWORD)
    parent = "No one leaves acute mental health care without a named contact in the community"
    page = checked_page.goto("/commitments/")
    page.get_by_role("link", name="The discharge checklist names a community contact").click()
    checked_page.axe()
    page.get_by_role("link", name="Report progress").click()
    checked_page.axe()
    page.get_by_label("Progress (%)").fill("140")
    page.get_by_role("button", name="Save update").click()
    checked_page.axe()
    expect(page.locator(".govuk-error-summary")).to_contain_text("from 0 to 100")
    page.get_by_label("Progress (%)").fill("100")
    page.get_by_label("Done").check()
    page.get_by_label("What has happened").fill("The checklist is in use on every ward.")
    page.get_by_role("button", name="Save update").click()
    checked_page.axe()
    page.get_by_role("link", name="Public page").click()
    checked_page.axe()
    expect(page.get_by_text("The checklist is in use on every ward.")).to_be_visible()
    page.get_by_role("link", name=parent).click()
    checked_page.axe()
    # 0.6 × 100 + 0.4 × 25 = 70
    expect(page.get_by_text("70% done")).to_be_visible()
    assert demo.commitment.pk


def test_a_community_member_supports_a_campaign_asks_and_judges_an_update(checked_page, demo_live):
    checked_page.sign_in("sam", DEMO_PASSWORD)
    page = checked_page.goto("/commitments/public/")
    page.get_by_role("link", name="Lift Me Up").click()
    checked_page.axe()
    page.get_by_role("link", name="Support Lift Me Up").click()
    checked_page.axe()
    page.get_by_role("button", name="Support Lift Me Up").click()
    checked_page.axe()
    expect(page.get_by_text("You support this campaign.")).to_be_visible()
    page.get_by_role("link", name="Clear fly-tipping from the river path").first.click()
    checked_page.axe()
    page.get_by_role("link", name="Ask Coventry City Council Public Health a question").click()
    checked_page.axe()
    page.get_by_role("button", name="Ask a question").click()
    checked_page.axe()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write your question")
    page.get_by_label("Your question").fill("When will the bridge steps be cleared?")
    page.get_by_role("button", name="Ask a question").click()
    checked_page.axe()
    expect(page.get_by_text("When will the bridge steps be cleared?")).to_be_visible()
    page.get_by_role("link", name="Is this what you asked for?").last.click()
    checked_page.axe()
    page.get_by_label("No, this is not what we asked for").check()
    page.get_by_role("button", name="Is this what you asked for?").click()
    checked_page.axe()


def test_a_facilitator_records_and_moderates(checked_page, demo_live):
    demo = demo_live
    checked_page.sign_in("facilitator", DEMO_PASSWORD)
    page = checked_page.goto("/commitments/")
    page.get_by_role("link", name="Record a commitment").click()
    checked_page.axe()
    page.get_by_role("button", name="Save").click()
    checked_page.axe()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what is promised")
    checked_page.goto("/commitments/campaigns/new/")
    checked_page.goto(f"/commitments/campaigns/{demo.campaign.slug}/asks/new/")
    checked_page.goto(f"/commitments/campaigns/{demo.campaign.slug}/meetings/new/")
    checked_page.goto(f"/commitments/{demo.commitment.pk}/")
    checked_page.goto(f"/commitments/{demo.commitment.pk}/milestones/new/")
    checked_page.goto(f"/commitments/{demo.commitment.pk}/change/")
    page = checked_page.goto("/commitments/moderation/")
    page.get_by_role("link", name="Hide").first.click()
    checked_page.axe()
    page.get_by_label("Why hide it?").fill("It names someone")
    page.get_by_role("button", name="Hide it").click()
    checked_page.axe()
    expect(page.get_by_text("Hidden: It names someone")).to_be_visible()
    page.get_by_role("link", name="Show again").first.click()
    checked_page.axe()
    page.get_by_role("button", name="Show it again").click()
    checked_page.axe()
