"""The HTML report in a real headless Chromium: hostile page content never runs."""

import shutil

import pytest

from crawler.lab.world import XSS_MARKER

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs"
                       " Debian's chromium package)"),
]
# The flags a sandboxed machine with no network needs (no background connections).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        yield context.new_page()
        browser.close()


def test_hostile_content_never_runs(page, lab_run, tmp_path):
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    path = lab_run["out"] / "reports" / "report.html"
    page.goto(path.as_uri())
    for details in page.query_selector_all("details"):
        details.click()  # open everything folded away
    page.mouse.wheel(0, 20000)
    assert page.evaluate(f"typeof window.{XSS_MARKER}") == "undefined"
    # The payloads are on the page, as text.
    body = page.inner_text("body")
    assert f"<script>window.{XSS_MARKER}=1</script>" in body  # a crawled title
    assert f"<script>window.{XSS_MARKER}=5</script>" in body  # a WHOIS registrant name
    assert page.query_selector_all("script") == []
    assert [u for u in requests if not u.startswith("file://")] == []  # opened offline
    assert errors == []
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
