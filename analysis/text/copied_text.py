"""Copied text across a whole run: passages many sites share carry no weight, a page copied
into a larger site is found, and every link names the passages it rests on.

1. Common passages. A shingle (4 words, or 8 CJK characters) that more sites of the run
   hold than ``common_limit`` (``common_at``, or ``common_share`` of the run's sites when
   that is more) is industry phrasing, a theme's demo text, a cookie or legal notice: it is
   dropped from every site before comparison, the way a common value carries no weight.
   Unlike a value, one shared passage never links two sites (a pair needs ``min_shared``
   shingles and a high overlap), so the limit may grow with the run: in 10,000 sites whose
   prose comes from one pool of stock sentences, a copied text is itself made of sentences
   that 16 or more sites hold, and a fixed limit of 15 would erase it.
2. Candidates. MinHash LSH (analysis/text/textsim.py) over each site's whole text and over each
   of its pages, so a site that copied one page of a larger site meets that page.
3. Verification. Each candidate pair is compared exactly on its remaining shingles: the
   number shared, Jaccard, and containment (the largest share of one site's text, or of one
   of its pages, that the other site holds). A pair links when
   it shares at least ``min_shared`` shingles and its Jaccard reaches ``threshold`` or its
   containment reaches ``containment_threshold``. Both thresholds sit above the similarity
   measured between unrelated sites (README, "How the text thresholds were set").
4. Passages. Each link keeps the longest sentences of one site that the other holds too.

Example:
    >>> from analysis.records import SiteFeatures
    >>> body = " ".join(f"Clause {i} of our delivery method binds every engineer." for i in
    ...                 range(12))
    >>> sites = [SiteFeatures(d, "ok", text=body, page_texts=[("https://" + d, body)])
    ...          for d in ("a.com", "b.com")]
    >>> cfg = {"shingle_words": 4, "min_shingles": 25, "common_at": 25, "min_shared": 20,
    ...        "threshold": 0.3, "containment_threshold": 0.5, "lsh_bands": 64, "lsh_rows": 2}
    >>> [(m.a, m.b, m.jaccard) for m in copied_pairs(sites, cfg)]
    [('a.com', 'b.com', 1.0)]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from analysis.records import SiteFeatures
from analysis.text.minhash import NUM_PERM, signature_values
from analysis.text.shingle_table import ShingleTable
from analysis.text.shingles import DEFAULT_K, in_sorted, shingle_hashes, sorted_unique, tokens
from analysis.text.textsim import candidate_pairs, unique_pairs

_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+|(?<=[。！？])")
MAX_PASSAGES = 3
PASSAGE_CHARS = 300


@dataclass
class CopiedPair:
    """Two sites whose remaining (uncommon) text overlaps enough to be copies."""

    a: str
    b: str
    jaccard: float
    containment: float
    shared: int
    passages: list[str] = field(default_factory=list)
    # Each passage as each site words it: (site a's sentence, site b's sentence).
    side_by_side: list[tuple[str, str]] = field(default_factory=list)

    @property
    def similarity(self) -> float:
        return max(self.jaccard, self.containment)


def common_limit(sites: int, cfg: dict) -> int:
    """How many sites of a run may hold a shingle before it is common."""
    return max(cfg["common_at"], int(cfg.get("common_share", 0) * sites))


def common_shingles(sets: list[np.ndarray], limit: int) -> np.ndarray:
    """Shingle hashes held by more than ``limit`` of the sets (each set's hashes unique)."""
    table = ShingleTable()
    table.add(list(sets))
    return table.common(limit)


def site_page_sets(site: SiteFeatures, k: int) -> list[np.ndarray]:
    """Each page's shingles of one site (stored with its reading when they are)."""
    stored = site.page_shingles if k == DEFAULT_K else []
    if len(stored) != len(site.page_texts):
        stored = [None] * len(site.page_texts)
    return [shingle_hashes(text, k=k) if blob is None else np.frombuffer(blob, dtype=np.uint32)
            for (_, text), blob in zip(site.page_texts, stored, strict=True)]


def shingle_units(sites: list[SiteFeatures], k: int
                  ) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Per site, its whole text's shingles and each page's (when it has several pages);
    a page's shingles stored with its reading (analysis/page_reading.py) are used as they
    are."""
    whole, pages = [], []
    for site in sites:
        page_sets = site_page_sets(site, k)
        if not page_sets and site.text:
            page_sets = [shingle_hashes(site.text, k=k)]
        union = (page_sets[0] if len(page_sets) == 1 else sorted_unique(np.concatenate(page_sets))
                 if page_sets else np.empty(0, dtype=np.uint32))
        whole.append(union)
        pages.append(page_sets if len(page_sets) > 1 else [])
    return whole, pages


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


Sentences = list[tuple[str, set[int], bool]]  # (sentence, its shingle hashes, too short)


def sentence_shingles(text: str, k: int) -> Sentences:
    """Each sentence of ``text`` with its shingle hashes, and whether it is shorter than one
    shingle (it then has no shingle of its own to be shared)."""
    out = []
    for sentence in _sentences(text):
        hashes = shingle_hashes(sentence, k=k)
        out.append((sentence, set(hashes.tolist()),
                    len(hashes) == 1 and len(tokens(sentence)) < k))
    return out


def _cut(sentence: str) -> str:
    return sentence if len(sentence) <= PASSAGE_CHARS else sentence[: PASSAGE_CHARS - 1] + "…"


def passages(text: str | Sentences, shared: np.ndarray | set[int], k: int) -> list[str]:
    """The longest sentences of ``text`` (or its ``sentence_shingles``) whose shingles are
    (nearly all) in ``shared``."""
    sentences = sentence_shingles(text, k) if isinstance(text, str) else text
    shared = shared if isinstance(shared, set) else set(np.asarray(shared).tolist())
    found = [sentence for sentence, hashes, short in sentences
             if not short and hashes and len(hashes & shared) >= 0.8 * len(hashes)]
    return [_cut(s) for s in sorted(dict.fromkeys(found), key=len, reverse=True)[:MAX_PASSAGES]]


def counterpart(passage: str, text: str | Sentences, k: int) -> str:
    """The sentence of ``text`` (or its ``sentence_shingles``) that holds most of
    ``passage``'s shingles (a clone's wording of a copied sentence: the company name
    swapped, a word changed); "" when none does."""
    wanted = set(shingle_hashes(passage, k=k).tolist())
    sentences = sentence_shingles(text, k) if isinstance(text, str) else text
    best, held = "", 0
    for sentence, hashes, _ in sentences:
        found = len(wanted & hashes)
        if found > held:
            best, held = sentence, found
    return _cut(best)


TextSource = Callable[[list[str]], dict[str, str]]  # domains -> their main texts


def copied_pairs(sites: list[SiteFeatures], cfg: dict, units=None,
                 text_of: TextSource | None = None) -> list[CopiedPair]:
    """Every pair of ``sites`` whose uncommon text links them, sorted by domains. ``units``:
    their ``shingle_units`` (the whole sets may be a ShingleTable, whose common shingles are
    then dropped in place), when the caller has them already; ``text_of``: where the main
    texts of linked sites are read for their passages, when the sites no longer hold them."""
    whole, pages = units or shingle_units(sites, cfg["shingle_words"])
    limit = common_limit(len(sites), cfg)
    if isinstance(whole, ShingleTable):  # dropped in place, a batch at a time
        common = whole.common(limit)
        whole.drop(common)
    else:
        common = common_shingles(whole, limit)
        if len(common):
            whole = [s[~in_sorted(s, common)] for s in whole]
    if len(common):
        pages = [[p[~in_sorted(p, common)] for p in ps] for ps in pages]
    owners, sizes = [], []
    for index, (union, page_sets) in enumerate(zip(whole, pages, strict=True)):
        for unit in [union, *page_sets]:
            if len(unit) >= cfg["min_shingles"]:
                owners.append(index)
                sizes.append(len(unit))
    if len(owners) < 2:
        return []
    matrix = np.empty((len(owners), NUM_PERM), dtype=np.uint32)
    row = 0
    for union, page_sets in zip(whole, pages, strict=True):
        for unit in [union, *page_sets]:
            if len(unit) >= cfg["min_shingles"]:
                matrix[row] = signature_values(unit)
                row += 1
    pairs = _likely(candidate_pairs(matrix, cfg["lsh_bands"], cfg["lsh_rows"],
                                    cfg.get("lsh_bucket")), matrix,
                    np.array(sizes), cfg)
    owner = np.array(owners)
    site_pairs = unique_pairs(np.sort(owner[pairs], axis=1), len(sites)) if len(pairs) else pairs
    linked = [(sites[p[0]].domain, sites[p[1]].domain, *p[2:]) for i, j in site_pairs.tolist()
              if i != j and (p := _verify(sites, whole, pages, i, j, cfg)) is not None]
    if text_of is None:
        by_domain = {s.domain: s for s in sites}
        text_of = lambda domains: {d: by_domain[d].text for d in domains}  # noqa: E731
    return quoted(linked, text_of, cfg["shingle_words"])


Verified = tuple[str, str, np.ndarray, CopiedPair]  # (smaller site, other, shared, pair)


def quoted(linked: list[Verified], text_of: TextSource, k: int) -> list[CopiedPair]:
    """The verified pairs with the passages each rests on, sorted by domains: the longest
    sentences of the smaller text that the other holds, and the other's wording of each."""
    texts = text_of(sorted({d for pair in linked for d in pair[:2]}))
    sentences: dict[str, Sentences] = {}
    found = []
    for smaller, other, shared, pair in linked:
        for domain in (smaller, other):
            if domain not in sentences:
                sentences[domain] = sentence_shingles(texts.get(domain, ""), k)
        passages_found = passages(sentences[smaller], shared, k)
        theirs = [counterpart(p.rstrip("…"), sentences[other], k) for p in passages_found]
        both = list(zip(passages_found, theirs, strict=True))
        pair.passages = passages_found
        pair.side_by_side = both if smaller == pair.a else [(b, a) for a, b in both]
        found.append(pair)
    return sorted(found, key=lambda p: (p.a, p.b))


def _likely(pairs: np.ndarray, matrix: np.ndarray, sizes: np.ndarray, cfg: dict
            ) -> np.ndarray:
    """Candidate unit pairs whose MinHash estimates reach half a threshold: Jaccard, or the
    containment that Jaccard and the two sizes imply. One vectorised pass spares the exact
    check for the many pairs that only share a few sentences (the slack covers the
    estimate's error, about 0.03 with 128 permutations)."""
    if not len(pairs):
        return pairs
    keep = []
    for start in range(0, len(pairs), 20_000):  # 20k pairs x 128 x 8 bytes a side
        chunk = pairs[start: start + 20_000]
        jaccard = (matrix[chunk[:, 0]] == matrix[chunk[:, 1]]).mean(axis=1)
        a, b = sizes[chunk[:, 0]], sizes[chunk[:, 1]]
        contained = jaccard * (a + b) / ((1 + jaccard) * np.minimum(a, b))
        keep.append(chunk[(jaccard >= cfg["threshold"] / 2)
                          | (contained >= cfg["containment_threshold"] / 2)])
    return np.concatenate(keep)


def page_containment(page_sets: list[np.ndarray], other: np.ndarray, min_shared: int) -> float:
    """The largest share of one page's shingles that ``other`` holds (pages sharing fewer
    than ``min_shared`` shingles do not count)."""
    best = 0.0
    for page in page_sets:
        held = int(np.isin(page, other, assume_unique=True).sum()) if len(page) else 0
        if held >= min_shared:
            best = max(best, held / len(page))
    return best


def _verify(sites, whole, pages, i: int, j: int, cfg: dict
            ) -> tuple[int, int, np.ndarray, CopiedPair] | None:
    """A candidate pair checked exactly: (the site with the smaller text, the other, the
    shingles they share, the pair without its passages), or None."""
    a, b = whole[i], whole[j]
    shared = np.intersect1d(a, b, assume_unique=True)
    if len(shared) < cfg["min_shared"]:
        return None
    jaccard = len(shared) / (len(a) + len(b) - len(shared))
    containment = max(len(shared) / min(len(a), len(b)),
                      page_containment(pages[i], b, cfg["min_shared"]),
                      page_containment(pages[j], a, cfg["min_shared"]))
    if jaccard < cfg["threshold"] and containment < cfg["containment_threshold"]:
        return None
    first, second = sorted((i, j), key=lambda n: sites[n].domain)
    smaller = first if len(whole[first]) <= len(whole[second]) else second
    other = second if smaller == first else first
    return smaller, other, shared, CopiedPair(
        sites[first].domain, sites[second].domain, round(jaccard, 3), round(containment, 3),
        int(len(shared)))
