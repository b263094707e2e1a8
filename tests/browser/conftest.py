"""Real-browser journeys: Playwright drives Debian's Chromium against a live server, and axe-core
(from npm) checks every page a test visits.

`playwright install` cannot download browsers here, so the browser is the system's Chromium
(HCT_CHROMIUM, default /usr/bin/chromium). Every navigation is recorded; a test fails at teardown
if it reached a page it did not check with axe, or if the browser's console reported an error
(a script error, a refused Content Security Policy, a failed request).

Pages are served with their real Content Security Policy: axe is run through Playwright's
evaluate (the DevTools protocol, which a page's CSP does not govern), never as a <script> tag.
"""

import json
import os
from pathlib import Path

import pytest

from tests.conftest import writers_wait

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("HCT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_SOURCE = AXE.read_text(encoding="utf-8") if AXE.exists() else ""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does) or set HCT_CHROMIUM"
        )
    if not AXE.exists():
        pytest.fail("axe-core is missing from node_modules: run `make setup`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class CheckedPage:
    """A page whose every visited address must pass axe before the test ends."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.errors: list[str] = []  # script errors and console errors, checked at teardown
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.errors.append(f"console on {page.url}: {message.text}")
            ),
        )
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and self.visited.append(frame.url),
        )

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.axe()
        return self.page

    def run_worker(self) -> int:
        """Run the queued jobs in the test's own thread, as `hct worker` would, with the page
        left meanwhile and then reloaded: the live server shares the test's database connection
        (SQLite in memory), so a progress poll answered while a job writes can find its own
        session row missing and answer 400."""
        from hct.core.jobs import work

        here = self.page.url
        self.page.goto("about:blank")
        done = work(once=True)
        self.page.goto(here)
        return done

    def axe(self, context: str = "document"):
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate(AXE_SOURCE)
        result = self.page.evaluate(
            "async ([context, tags]) => await axe.run(context === 'document' ? document : context, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            [context, AXE_TAGS],
        )
        violations = [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert not violations, f"axe on {self.page.url}:\n{json.dumps(violations, indent=2)}"
        self.checked.add(self.page.url)

    def sign_in(self, username: str, password: str):
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.axe()


def _readers_do_not_wait(sender, connection, **kwargs):
    # The SQLite test database lives in memory with a shared cache, where a reader meets a
    # writer's open transaction as "database table is locked" at once (a page polling a job
    # while the worker thread runs it). On a file with WAL, as hct runs SQLite, readers never
    # wait for writers; read_uncommitted gives the shared cache the same behaviour.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.cursor().execute("PRAGMA read_uncommitted = 1")
        connection.execute_wrappers.append(writers_wait)


@pytest.fixture(autouse=True, scope="session")
def _sqlite_readers():
    from django.db.backends.signals import connection_created

    connection_created.connect(_readers_do_not_wait)
    yield
    connection_created.disconnect(_readers_do_not_wait)


@pytest.fixture
def demo_live(transactional_db):
    """Transactional tests start from an emptied database: load the demo again."""
    from hct.demo.services import demo_load
    from tests.conftest import DEMO_PASSWORD

    demo_load(password=DEMO_PASSWORD)
    from tests.demo_world import DemoWorld

    return DemoWorld.load()


@pytest.fixture
def checked_page(browser, live_server, demo_live):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    checked = CheckedPage(page, live_server.url)
    errors = checked.errors
    yield checked
    context.close()
    unchecked = {
        url for url in checked.visited if url not in checked.checked and url != "about:blank"
    }
    assert not unchecked, f"pages visited without an axe check: {sorted(unchecked)}"
    assert not errors, f"JavaScript or console errors: {errors}"
