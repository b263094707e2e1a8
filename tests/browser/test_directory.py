"""A facilitator uploads an ORUK file, watches the import's progress to the end, reads the report,
then finds the new service by category and opening time, beside the community assets."""

import json
import threading
import uuid

from playwright.sync_api import expect

from hct.demo.directory import term_id
from tests.conftest import DEMO_PASSWORD


def _feed(demo) -> dict:
    lsoa = demo.first_neighbourhood.lsoas.order_by("code").first()
    service_id = str(uuid.uuid4())
    return {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": [
            {
                "id": service_id,
                "name": "Afternoon tea club",
                "description": "Tea, cake and a chat on Wednesday afternoons.",
                "status": "active",
                "organization": {
                    "id": str(uuid.uuid4()),
                    "name": "Friends of the library",
                    "description": "A volunteer group.",
                },
                "schedules": [
                    {
                        "id": str(uuid.uuid4()),
                        "freq": "WEEKLY",
                        "byday": "WE",
                        "opens_at": "14:00",
                        "closes_at": "16:00",
                    }
                ],
                "service_at_locations": [
                    {
                        "id": str(uuid.uuid4()),
                        "location": {
                            "id": str(uuid.uuid4()),
                            "location_type": "physical",
                            "name": "The library",
                            "latitude": lsoa.latitude,
                            "longitude": lsoa.longitude,
                        },
                    }
                ],
                "attributes": [
                    {
                        "id": str(uuid.uuid4()),
                        "taxonomy_term_id": str(term_id("tea")),
                        "link_type": "category",
                    }
                ],
            }
        ],
    }


def test_facilitator_imports_a_feed_and_finds_the_service(
    checked_page, demo_live, settings, tmp_path
):
    from hct.core.jobs import work

    settings.HCT_JOBS_INLINE = False  # the job waits for a worker, as in production
    feed = tmp_path / "service_list.json"
    feed.write_text(json.dumps(_feed(demo_live)), encoding="utf-8")
    page = checked_page.page
    checked_page.sign_in("facilitator", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find help").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find help")
    page.get_by_role("link", name="Import Open Referral UK data").click()
    checked_page.axe()

    page.get_by_label("ORUK file").set_input_files(str(feed))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    expect(page.get_by_text("Waiting to start")).to_be_visible()

    # The worker picks the job up; the page, polling, follows it to the end.
    worker = threading.Thread(target=work, kwargs={"once": True})
    worker.start()
    worker.join(timeout=60)
    expect(page.get_by_text("Imported: 6 created")).to_be_visible(timeout=15_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    checked_page.axe()

    page.get_by_role("link", name="See what was imported").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.get_by_role("table", name="What was written")).to_contain_text("service")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find help").click()
    checked_page.axe()
    page.get_by_label("Category").select_option(label="– A cup of tea and a chat")

    def search(day: str, time: str) -> None:
        page.get_by_label("Open on").fill(day)
        page.get_by_label("At what time").fill(time)
        page.get_by_role("button", name="Search").click()
        checked_page.axe()

    search("2026-03-25", "15:00")  # a Wednesday afternoon
    results = page.get_by_role("table")
    expect(results).to_contain_text("Afternoon tea club")
    # The morning cup of tea at the community centre is closed at three in the afternoon.
    expect(results).not_to_contain_text("Daily cup of tea at the community centre")
    search("2026-03-25", "10:30")
    expect(results).to_contain_text("Daily cup of tea at the community centre")
    expect(results).to_contain_text("Community asset")
    search("", "")
    page.get_by_role("link", name="Afternoon tea club").click()
    checked_page.axe()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afternoon tea club")
    expect(page.get_by_text("Wednesdays, 14:00 to 16:00")).to_be_visible()
