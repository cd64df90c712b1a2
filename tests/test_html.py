"""Page facts: boilerplate removed from main text, trackers, language, links."""

from analysis.html import detect_language, page_facts

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title> Acme
 Consulting </title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>
<script>ga('create','UA-1234567-1','auto');</script>
<script>(function(w,d,s,l,i){})(window,document,'script','dataLayer','GTM-K9X2ZQ');</script>
<script data-ad-client="ca-pub-1234567890123456"></script></head>
<body><header>Acme header</header><nav><a href="/about">About</a></nav>
<div class="cookie-notice">We use cookies</div>
<main><h1>Welcome</h1><p>We build software. Mail <a href="mailto:Sales@Acme.example">us</a>.</p>
<p>Acme has built logistics software for freight forwarders in Rotterdam since 2009, and
our twelve engineers maintain the route planner that forty carriers use every day.</p>
<p>Every project starts with a week on site with the dispatchers who will use the tool.</p>
<a href="https://www.acme.example/services#top">Services</a><a href="javascript:alert(1)">x</a>
<a href="mailto:x@y.z">m</a></main>
<footer class="site-footer">Copyright Acme</footer></body></html>"""


def test_main_text_drops_chrome():
    facts = page_facts(PAGE, "https://acme.example/")
    assert "route planner that forty carriers use every day" in facts.text
    assert "a week on site with the dispatchers" in facts.text
    for chrome in ("cookies", "Copyright", "Acme header", "About"):
        assert chrome not in facts.text
    assert facts.title == "Acme Consulting"
    assert facts.language == "en"


def test_links_are_absolute_without_fragments_or_scripts():
    facts = page_facts(PAGE, "https://acme.example/")
    assert facts.links == ["https://acme.example/about", "https://www.acme.example/services"]


def test_language_from_script_when_undeclared():
    assert detect_language("我们的工程师团队精通技术，帮助企业优化平台。", None) == "zh"
    assert detect_language("Мы разрабатываем программное обеспечение", None) == "ru"
    assert detect_language("hello", "EN_us") == "en"


def test_odd_html_never_raises():
    for html in ["", "<", "\x00\x01<html><title>", "<p>" * 10000, "<main></main>"]:
        facts = page_facts(html, "https://x.example/")
        assert isinstance(facts.text, str)
