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
    assert page.inner_text("#shown").startswith("1 linked cluster shown")
    page.fill("#q", ga["value"].lower())  # an evidence value finds its cluster too
    assert visible() == [cluster_of[ga["domains"][0]]]
    page.fill("#q", "")
    page.select_option("#kind", "wallet")
    wallet = next(f for f in truth["families"].values() if f["kind"] == "wallet")
    assert visible() == [cluster_of[wallet["domains"][0]]]
    assert not any(r.is_visible() for r in page.query_selector_all("tr[data-search]:not(.ov)"))
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


# ---- the analyst's report (issue 14): at a glance, how sure, findable, on any screen -----


def test_the_overview_has_a_row_per_linked_cluster_that_leads_to_it(page, lab_run):
    report = lab_run["report"]
    page.goto((lab_run["out"] / "reports" / "report.html").as_uri())
    linked = [c for c in report["clusters"] if c["size"] > 1]
    rows = page.query_selector_all("table.overview tbody tr")
    assert len(rows) == len(linked)
    first = rows[0]
    assert first.query_selector("a").inner_text() == linked[0]["id"]
    assert str(linked[0]["size"]) in first.inner_text()
    assert len(first.query_selector_all(".meter")) == 2  # weakest and strongest link
    first.query_selector("a").click()
    # The sticky search bar does not hide the heading jumped to.
    heading = page.query_selector(f"section#{linked[0]['id']} h3").bounding_box()
    bar = page.query_selector("#filters").bounding_box()
    assert heading["y"] >= bar["y"] + bar["height"] - 1, (heading, bar)
    # Every link shows its score against the threshold, and what it is made of.
    section = page.query_selector(f"section#{linked[0]['id']}")
    pairs = section.query_selector_all("table.links tr:has(.meter)")
    assert len(pairs) == len(linked[0]["links"])
    assert report["run"]["link_threshold"] == 1.0
    # A cluster held by weak kinds only says so.
    weak = [c for c in linked if c["weak_only"]]
    assert weak and all(e["strength"] == "weak" for c in weak for e in c["evidence"]
                        if e["weight"] > 0)
    assert "linked only by weak evidence in combination" in page.inner_text(
        f"section#{weak[0]['id']}")
    # The legend names every edge style drawn.
    legend = page.inner_text("details.howto")
    drawn = {max(link["kinds"], key=link["kinds"].get) for c in linked for link in c["links"]}
    assert all(kind in legend for kind in drawn)


def test_every_value_on_the_page_finds_its_site(page, lab_run):
    """An address, an e-mail, a registrar: each finds the sites that show it, in clusters
    and in the tables, and each value says how many sites share it."""
    report = lab_run["report"]
    page.goto((lab_run["out"] / "reports" / "report.html").as_uri())
    by_domain = {s["domain"]: s for s in report["sites"]}
    alone = next(c["domains"][0] for c in report["clusters"] if c["size"] == 1
                 and by_domain[c["domains"][0]]["features"]["ips"])
    ip = by_domain[alone]["features"]["ips"][0]
    page.fill("#q", ip)
    rows = [r for r in page.query_selector_all("tr[data-search]:not(.ov)") if r.is_visible()]
    assert rows and all(ip in r.get_attribute("data-search") for r in rows)
    assert any(alone in r.inner_text() for r in rows)
    member = next(s for s in report["sites"] if s["cluster"] and s["features"]["emails"]
                  and any(s["cluster"] == c["id"] and c["size"] > 1 for c in report["clusters"]))
    page.fill("#q", member["features"]["emails"][0])
    shown = [s.get_attribute("id") for s in page.query_selector_all("section.cluster")
             if s.is_visible()]
    assert member["cluster"] in shown
    page.fill("#q", "")
    # A shared value carries its count; clicking a value searches for it.
    value = page.query_selector(".card .pv")
    value.click()
    assert page.input_value("#q") == value.get_attribute("data-v")
    assert page.query_selector_all(".cnt")


def test_linking_values_are_highlighted_and_copied_text_is_side_by_side(page, lab_run):
    report, truth = lab_run["report"], lab_run["truth"]
    page.goto((lab_run["out"] / "reports" / "report.html").as_uri())
    ga = next(f for f in truth["families"].values() if f["kind"] == "analytics_id")
    cluster = next(s["cluster"] for s in report["sites"] if s["domain"] == ga["domains"][0])
    marked = [m.inner_text() for m in page.query_selector_all(f"section#{cluster} .card mark")]
    assert ga["value"] in marked
    text = next(c for c in report["clusters"]
                if any(e["kind"] == "text_similarity" for e in c["evidence"]))
    table = page.query_selector(f"section#{text['id']} table.sbs")
    assert table is not None and table.is_visible()  # the first one is open
    assert len(table.query_selector_all("thead th")) == 2
    evidence = next(e for e in text["evidence"] if e["kind"] == "text_similarity")
    assert evidence["side_by_side"] and all(len(p) == 2 for p in evidence["side_by_side"])


def test_a_narrow_screen_never_scrolls_sideways(lab_run):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 380, "height": 800}).new_page()
        page.goto((lab_run["out"] / "reports" / "report.html").as_uri())
        for details in page.query_selector_all("details"):
            details.click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, width
        page.emulate_media(media="print")
        assert not page.is_visible("#filters")  # printed: no controls
        browser.close()


def _big_cluster_report(n: int) -> dict:
    """A report with one cluster of ``n`` sites: a random tree of links and a few more."""
    import random

    rng = random.Random(n)
    domains = [f"{rng.choice(['apex', 'cedar', 'nova', 'iron'])}"
               f"{rng.choice(['path', 'stack', 'forge'])}tech{i}.services" for i in range(n)]
    links = []
    for i in range(1, n):
        j = rng.randrange(i)
        links.append({"domains": sorted([domains[i], domains[j]]),
                      "score": round(rng.uniform(1, 3), 2),
                      "kinds": {rng.choice(["text_similarity", "analytics_id", "ip"]): 1.2}})
    for _ in range(n // 3):
        a, b = rng.sample(domains, 2)
        links.append({"domains": sorted([a, b]), "score": 1.5, "kinds": {"favicon": 1.5}})
    return {"schema": "facade.report/1",
            "run": {"id": "1", "seeds": n, "sites_ok": n, "sites_failed": 0, "pages": n,
                    "options": {}, "warnings": [], "link_threshold": 1.0},
            "sites": [{"domain": d, "status": "ok", "cluster": "C0001", "features": {}}
                      for d in domains],
            "clusters": [{"id": "C0001", "domains": sorted(domains), "size": n, "links": links,
                          "evidence": [{"kind": "favicon", "value": "123", "domains": domains,
                                        "weight": 1.5, "strength": "strong", "reason": "r"}],
                          "threshold": 1.0, "near_misses": [], "weak_only": False,
                          "copied_from": [], "likely_original": None}],
            "references": [], "commons": []}


@pytest.mark.parametrize("size", [2, 50, 200])
def test_graph_labels_never_overlap(page, tmp_path, size):
    from analysis.reports.report_html import render_html

    path = tmp_path / "big.html"
    path.write_text(render_html(_big_cluster_report(size)))
    page.goto(path.as_uri())
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('svg.graph text'))
        .map(t => { const r = t.getBoundingClientRect();
                    return [r.left, r.top, r.right, r.bottom]; })""")
    labels = len(page.query_selector_all("svg.graph text.node"))
    assert labels >= min(size, 20)  # most sites are named in the graph itself
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5
                        and b[1] < a[3] - 0.5), (a, b)
    # Whoever found no room is named under the graph.
    note = page.inner_text(".graphnote")
    named = {t.text_content() for t in page.query_selector_all("svg.graph text.node")}
    cluster = _big_cluster_report(size)["clusters"][0]
    missing = [d for d in cluster["domains"] if d not in named]
    assert all(d in note for d in missing)
    if size >= 50:
        assert page.query_selector_all("svg.graph line.bridge")  # a tree has bridges


def test_a_run_too_large_to_read_at_once_is_summarised(page, lab_run, tmp_path, monkeypatch):
    """Tens of thousands of clusters do not fit one page: it shows the first of each list
    and says how many more the JSON and CSV files hold (here with the limits set low)."""
    from analysis.reports import report_html

    monkeypatch.setattr(report_html, "MAX_CLUSTERS", 2)
    monkeypatch.setattr(report_html, "MAX_OVERVIEW", 3)
    monkeypatch.setattr(report_html, "MAX_SITES", 1)
    report = lab_run["report"]
    linked = [c for c in report["clusters"] if c["size"] > 1]
    alone = [c for c in report["clusters"] if c["size"] == 1]
    path = tmp_path / "big.html"
    path.write_text(report_html.render_html(report))
    page.goto(path.as_uri())
    assert len(page.query_selector_all("section.cluster")) == 2
    assert len(page.query_selector_all("table.overview tbody tr")) == 3
    notes = page.inner_text("body")
    assert f"and {len(linked) - 3} more clusters, smaller" in notes
    assert f"and {len(linked) - 2} more clusters of two or more sites" in notes
    assert f"and {len(alone) - 1} more sites standing alone" in notes
    # A row whose cluster has no section of its own names it without a dead link.
    third = page.query_selector_all("table.overview tbody tr")[2]
    assert third.query_selector("a") is None and linked[2]["id"] in third.inner_text()
