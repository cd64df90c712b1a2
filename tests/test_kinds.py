"""Each page-reading evidence kind's extractor, and the registry of kinds."""

from analysis.evidence.kinds import all_kinds, page_kinds, pair_kinds
from analysis.evidence.kinds.analytics_id import trackers
from analysis.evidence.kinds.dom_structure import dom_hash
from analysis.evidence.kinds.email import emails, is_role_at
from analysis.evidence.kinds.header_order import header_order
from analysis.evidence.kinds.phone import phones
from analysis.evidence.kinds.postal_address import addresses
from analysis.evidence.kinds.site_verification import from_meta, from_txt
from analysis.evidence.kinds.social import profile, profiles
from analysis.evidence.kinds.spf import mechanisms
from analysis.evidence.kinds.wallet import base58check_ok, wallets
from analysis.page import PageContext
from crawler.lab.world import _b58check
from tests.conftest import ROOT


def page(html: str, **kw) -> PageContext:
    return PageContext(html=html, url="https://acme.example/", site="acme.example", **kw)


def test_every_kind_registered_and_configured():
    from analysis.config import default_config

    cfg = default_config()
    assert set(all_kinds()) == set(cfg["kinds"])
    assert set(pair_kinds()) == set(cfg["pairs"])
    assert {k.feature for k in page_kinds()} >= {
        "analytics_ids", "emails", "phones", "wallets", "social", "postal_addresses",
        "verification", "dom_hash", "header_order"}


def test_trackers_of_every_service():
    html = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>
    <script>ga('create','UA-1234567-1','auto');</script>
    <script>(function(w,d,s,l,i){})(window,document,'script','dataLayer','GTM-K9X2ZQ');</script>
    <script data-ad-client="ca-pub-1234567890123456"></script>
    <script>fbq('init', '1234567890123'); fbq('track', 'PageView');</script>
    <script>ym(87654321, "init", {clickmap:true});</script>
    <script>(function(h,o,t,j,a,r){h._hjSettings={hjid:3456789,hjsv:6};})</script>
    <script src="https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef"></script>
    <script>var _paq = window._paq || []; (function() { var u="//stats.fronts.example/";
    _paq.push(['setTrackerUrl', u+'matomo.php']); _paq.push(['setSiteId', '7']); })();</script>"""
    assert trackers(html) == [
        "UA-1234567-1", "G-ABCDEF1234", "GTM-K9X2ZQ", "ca-pub-1234567890123456",
        "fb-pixel:1234567890123", "yandex-metrica:87654321", "hotjar:3456789",
        "baidu-tongji:0123456789abcdef0123456789abcdef", "matomo:stats.fronts.example:7"]
    hosted = "var u='https://acme.matomo.cloud/'; _paq.push(['setSiteId', '1']);"
    assert trackers(hosted) == []


def test_emails_plain_mailto_and_obfuscated():
    html = """<p>Write to tony.wang [at] wkjllc [dot] com or jobs(at)fronts.example.</p>
    <a href="mailto:Kevin.Lee@Outlook.com?subject=hi">mail</a>
    <footer>info@acme.example</footer><img src="logo@2x.png">"""
    assert emails(page(html)) == ["kevin.lee@outlook.com", "info@acme.example",
                                  "tony.wang@wkjllc.com", "jobs@fronts.example"]
    assert is_role_at("info@acme.example", "acme.example")
    assert not is_role_at("info@wkjllc.com", "acme.example")
    assert not is_role_at("tony@acme.example", "acme.example")


def test_phones_normalised_to_e164():
    html = """<html lang="en-US"><p>Call +86 24 2345 6789, Tel: (415) 555-2671.</p>
    <a href="tel:+44 20 7946 0958">x</a>"""
    assert phones(page(html)) == ["+442079460958", "+862423456789", "+14155552671"]


def test_phones_only_where_presented_and_in_the_sites_region():
    def read(html, site="acme.example"):
        return phones(PageContext(html=html, url=f"https://{site}/", site=site))

    # dates, times and number ranges in running text are not phones
    assert read("<p>Published 22.04.2020 / 06:15, ranges +13102021 to +13102099.</p>") == []
    assert read("<p>Tel: 22.04.2020 / 06:15</p>") == []
    # a national number is read in the site's region, or not at all
    assert read("<p>Tel: (11) 3456-7890</p>", "loja.com.br") == ["+551134567890"]
    assert read("<p>Tel: (11) 3456-7890</p>") == []
    assert read('<html lang="pt-BR"><p>Telefone: (11) 3456-7890</p>') == ["+551134567890"]
    assert read('<span itemprop="telephone">+44 20 7946 0958</span>') == ["+442079460958"]
    assert read("<p>电话：+86 24 2345 6789</p>") == ["+862423456789"]


def test_wallets_with_checksums():
    btc = _b58check(b"\x00" + bytes(range(20)))
    trx = _b58check(b"\x41" + bytes(range(20, 40)))
    assert base58check_ok(btc) and base58check_ok(trx)
    broken = btc[:-1] + ("2" if btc[-1] != "2" else "3")
    html = (f"<p>BTC {btc} TRX {trx} ETH 0xAbCdEf0123456789abcdef0123456789ABCDEF01 "
            f"bech32 bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq bad {broken}</p>")
    assert wallets(page(html)) == [
        f"btc:{btc}", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "eth:0xabcdef0123456789abcdef0123456789abcdef01", f"trx:{trx}"]


def test_social_profiles_not_share_buttons():
    assert profile("https://www.linkedin.com/company/Wang-Tech/about") == (
        "linkedin:company/wang-tech")
    assert profile("https://github.com/tonywang-dev") == "github:tonywang-dev"
    assert profile("https://t.me/fronts_hr") == "telegram:fronts_hr"
    assert profile("https://www.upwork.com/freelancers/~01abc") == "upwork:freelancers/~01abc"
    assert profile("https://www.facebook.com/sharer/sharer.php?u=x") is None
    assert profile("https://twitter.com/intent/tweet?text=x") is None
    assert profile("https://example.com/in/x") is None
    html = '<a href="https://x.com/WangTech">x</a><a href="https://x.com/share?u=1">s</a>'
    assert profiles(page(html)) == ["x:wangtech"]
    # share, group, showcase, playlist and hashtag URLs seen on real pages are not profiles
    for url in ["https://www.linkedin.com/sharing/share-offsite/?url=x",
                "https://www.linkedin.com/showcase/acme-labs", "https://www.linkedin.com/cws/share",
                "https://www.linkedin.com/groups/12345", "https://www.facebook.com/groups/99",
                "https://www.facebook.com/profile.php", "https://www.facebook.com/share.php?u=x",
                "https://www.youtube.com/playlist?list=PL1", "https://x.com/hashtag/ai",
                "https://www.instagram.com/p/Cx1/", "https://github.com/pricing"]:
        assert profile(url) is None, url
    assert profile("https://www.facebook.com/profile.php?id=1000123") == "facebook:id1000123"
    assert profile("https://www.facebook.com/pages/Acme-Co/123456") == "facebook:123456"
    assert profile("https://www.youtube.com/@acme") == "youtube:@acme"


def test_an_account_mentioned_in_running_text_is_not_the_sites_profile():
    html = """<header><a href="https://x.com/acmecorp"><i class="icon-x"></i></a></header>
    <article><p>Yesterday <a href="https://x.com/elonmusk">Elon Musk</a> told investors that
    the company would cut its prices again next quarter.</p>
    <blockquote class="twitter-tweet"><a href="https://twitter.com/jack">@jack</a></blockquote>
    </article><footer><ul><li><a href="https://www.linkedin.com/company/acme/">in</a></li>
    </ul><p>Follow us on <a href="https://t.me/acme">Telegram</a></p></footer>"""
    assert profiles(page(html)) == ["x:acmecorp", "linkedin:company/acme", "telegram:acme"]


def test_postal_address_is_the_building():
    json_ld = """<script type="application/ld+json">{"@context":"https://schema.org",
      "@type":"Organization","address":{"@type":"PostalAddress",
      "streetAddress":"88 Harbour Road, Suite 1203","addressLocality":"Wan Chai",
      "postalCode":"","addressCountry":"HK"}}</script>"""
    micro = """<div itemscope itemtype="https://schema.org/PostalAddress">
      <span itemprop="streetAddress">88 Harbour Road, Room 1205</span>
      <span itemprop="addressLocality">Wan Chai</span>
      <span itemprop="addressCountry">HK</span></div>"""
    adr = ('<p class="adr"><span class="street-address">88 Harbour Road, 12th Floor</span>'
           '<span class="locality">Wan Chai</span><span class="country-name">HK</span></p>')
    want = ["88 harbour road | wan chai |  | hk"]
    assert addresses(page(json_ld)) == want
    assert addresses(page(micro)) == want
    assert addresses(page(adr)) == want
    assert addresses(page("<script type='application/ld+json'>{bad json</script>")) == []


def test_site_verification_from_meta_and_txt():
    html = ('<meta name="google-site-verification" content="AbCdEf123456_-">'
            '<meta name="msvalidate.01" content="0123456789ABCDEF">')
    assert from_meta(page(html)) == ["google:AbCdEf123456_-", "microsoft:0123456789ABCDEF"]
    assert from_txt(["google-site-verification=XyZ98765abc", "v=spf1 -all",
                     "MS=ms12345678"]) == ["google:XyZ98765abc", "microsoft:ms12345678"]


def test_spf_mechanisms():
    assert mechanisms(["v=spf1 include:_spf.fronts.example ip4:203.0.113.0/24 ~all",
                       "not spf"]) == ["include:_spf.fronts.example", "ip4:203.0.113.0/24"]


def test_structure_and_header_fingerprints_only_for_the_start_page():
    html = "<html><body><div><p>a</p><ul><li>x</li></ul></div><footer><p>f</p></footer>" \
           "<nav><a>1</a></nav><section><h1>t</h1></section></body></html>"
    same_shape = html.replace(">a<", ">something else<")
    assert dom_hash(page(html)) == dom_hash(page(same_shape)) != []
    assert dom_hash(page(html, depth=1)) == []
    headers = {"Server": "nginx", "Content-Type": "text/html", "Date": "x", "X-Powered-By": "PHP"}
    assert header_order(page("", headers=headers)) != header_order(
        page("", headers=dict(reversed(list(headers.items())))))


def test_a_kind_without_weights_is_an_error_and_every_kind_declares_what_it_reads(tmp_path):
    """One vocabulary: every evidence kind declares the features it reads (from the feature
    table), and a configuration that leaves a kind without weights is refused, not run
    with that kind silently skipped."""
    import pytest as _pytest

    from analysis.config import ConfigError, load_config
    from analysis.evidence.kinds import ValueKind, all_kinds, pair_kinds, register
    from analysis.feature_table import FEATURES

    for kind in [*all_kinds().values(), *pair_kinds().values()]:
        assert kind.reads and all(f in FEATURES for f in kind.reads), kind.name
    with _pytest.raises(ValueError, match="must declare the features it reads"):
        register(ValueKind(name="mystery", label="?", values=lambda site: []))
    text = (ROOT / "analysis" / "data" / "evidence.toml").read_text()
    start = text.index("[kinds.favicon]")
    end = text.index("\n[", start + 1)
    (tmp_path / "e.toml").write_text(text[:start] + text[end + 1:])
    with _pytest.raises(ConfigError, match="kinds.favicon: the evidence kind has no weights"):
        load_config(tmp_path / "e.toml")
