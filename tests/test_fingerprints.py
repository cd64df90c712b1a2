"""Shingles and MinHash: copies found in English and Chinese, unrelated text kept apart."""

import random
import subprocess
import sys

import numpy as np

from analysis.text.minhash import SCHEME_ID, from_bytes, signature, to_bytes
from analysis.text.shingles import shingle_hashes, shingles, tokens
from analysis.text.textsim import near_duplicates
from crawler.lab import text


def test_cjk_characters_are_half_words():
    assert tokens("Hello 世界 wide") == ["hello", "世", "界", "wide"]
    assert shingles("a b c d e", k=4) == ["a b c d", "b c d e"]
    assert shingles("一二三四五六七八九", k=4) == [
        "一 二 三 四 五 六 七 八", "二 三 四 五 六 七 八 九"]


def _jaccard(a: str, b: str) -> float:
    x, y = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    return len(x & y) / len(x | y)


def test_copies_score_above_unrelated_text_in_both_languages():
    rng = random.Random(3)
    for lang in ("en", "zh"):
        original = text.company_text(lang, "Origin Co", rng, 34)
        copy = text.copy_text(original, "Origin Co", "Clone Ltd", lang, rng, 0.3)
        other = text.company_text(lang, "Other Inc", rng, 34)
        orig_text, copy_text, other_text = (" ".join(t) for t in (original, copy, other))
        assert _jaccard(orig_text, copy_text) > 0.2, lang
        assert _jaccard(orig_text, other_text) < 0.12, lang


def test_signatures_are_deterministic_across_processes():
    sig = to_bytes(signature(shingle_hashes("the quick brown fox jumps over the lazy dog")))
    code = ("from analysis.text.minhash import signature, to_bytes;"
            "from analysis.text.shingles import shingle_hashes;"
            "import sys; sys.stdout.write(to_bytes(signature(shingle_hashes("
            "'the quick brown fox jumps over the lazy dog'))).hex())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "123"}).stdout
    assert other == sig.hex()
    assert from_bytes(sig).jaccard(from_bytes(sig)) == 1.0
    assert SCHEME_ID == "datasketch2-affine32-p128-s1"


def test_lsh_candidates_are_verified():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2**32, 400, dtype=np.uint32)
    sigs = {
        "a.com": signature(base),
        "b.com": signature(np.concatenate([base[:300], rng.integers(0, 2**32, 100,
                                                                    dtype=np.uint32)])),
        "c.com": signature(rng.integers(0, 2**32, 400, dtype=np.uint32)),
    }
    pairs = near_duplicates(sigs, threshold=0.4)
    assert [(a, b) for a, b, _ in pairs] == [("a.com", "b.com")]
    assert 0.5 < pairs[0][2] < 0.75


def test_the_numpy_paths_give_what_datasketch_gives():
    """Signatures are computed without a Python call per shingle and LSH candidates by
    sorting band keys: both must be exactly datasketch's (values, and MinHashLSH's pairs)."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from analysis.text.minhash import NUM_PERM, SCHEME, SEED, signature
    from analysis.text.textsim import candidate_pairs

    rng = np.random.default_rng(7)
    base = [rng.integers(0, 2**32, size=300, dtype=np.uint64).astype(np.uint32)
            for _ in range(60)]
    units = [np.concatenate([base[i // 4][: int(rng.integers(40, 300))],
                             rng.integers(0, 2**32, size=int(rng.integers(0, 300)),
                                          dtype=np.uint64).astype(np.uint32)])
             for i in range(240)]
    reference = []
    for unit in units:
        m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
        m.update_batch(unit.tolist())
        reference.append(m)
    ours = [signature(u) for u in units]
    assert all(np.array_equal(a.hashvalues, b.hashvalues)
               for a, b in zip(reference, ours, strict=True))
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(64, 2))
    for i, m in enumerate(reference):
        lsh.insert(i, m)
    expected = {(i, j) for i, m in enumerate(reference) for j in lsh.query(m) if j > i}
    found = {tuple(p) for p in candidate_pairs(ours, 64, 2).tolist()}
    assert found == expected and len(found) > 100
