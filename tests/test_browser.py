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
    scripts = page.query_selector_all("script")
    assert len(scripts) == 1 and scripts[0].get_attribute("src") is None  # the report's own
    assert [u for u in requests if not u.startswith("file://")] == []  # opened offline
    assert errors == []
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


def test_what_an_analyst_sees_and_search(page, lab_run, tmp_path):
    report, truth = lab_run["report"], lab_run["truth"]
    page.goto((lab_run["out"] / "reports" / "report.html").as_uri())
    linked = [c for c in report["clusters"] if c["size"] > 1]
    assert len(page.query_selector_all("section.cluster")) == len(linked)
    assert page.inner_text("#shown") == f"{len(linked)} linked clusters shown"
    ga = next(f for f in truth["families"].values() if f["kind"] == "analytics_id")
    assert page.is_visible(f"text={ga['value']}")
    assert len(page.query_selector_all("section.cluster svg.graph")) == len(linked)

    def visible():
        return [s.get_attribute("id") for s in page.query_selector_all("section.cluster")
                if s.is_visible()]

    page.fill("#q", ga["domains"][0])
    cluster_of = {s["domain"]: s["cluster"] for s in report["sites"]}
    assert visible() == [cluster_of[ga["domains"][0]]]
    assert page.inner_text("#shown") == "1 linked cluster shown"
    page.fill("#q", ga["value"].lower())  # an evidence value finds its cluster too
    assert visible() == [cluster_of[ga["domains"][0]]]
    page.fill("#q", "")
    page.select_option("#kind", "wallet")
    wallet = next(f for f in truth["families"].values() if f["kind"] == "wallet")
    assert visible() == [cluster_of[wallet["domains"][0]]]
    assert not any(r.is_visible() for r in page.query_selector_all("tr[data-search]"))
    page.select_option("#kind", "")
    assert len(visible()) == len(linked)
    shot = tmp_path / "analyst.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_readable_without_javascript(lab_run):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto((lab_run["out"] / "reports" / "report.html").as_uri())
        linked = [c for c in lab_run["report"]["clusters"] if c["size"] > 1]
        shown = [s for s in page.query_selector_all("section.cluster") if s.is_visible()]
        assert len(shown) == len(linked)
        assert not page.is_visible("#filters")  # no dead controls without JavaScript
        pdf = page.pdf() if hasattr(page, "pdf") else b""
        assert pdf[:4] == b"%PDF"  # and it prints
        browser.close()
