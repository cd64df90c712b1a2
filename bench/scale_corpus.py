"""A week of N imported sites as JSON Lines, and the next week with 2.5% of them changed:
the corpus bench/cluster_bench.py imports and clusters.

Prose is realistic in the two ways that matter to the text stage: about a third of each
site's sentences come from one pool of 5,000 stock sentences of Zipfian popularity (some
stand on a third of all sites, most on hundreds), the rest are the site's own (words of a
Zipfian 50,000-word vocabulary). Planted families, the ground truth:

- copy families (5% of sites, 5 each): one text, each member with its company name and 5
  of 25 sentences changed;
- tracker families (1%, 5 each): one Google Analytics id in the page;
- contact families (1%, 4 each): one free-mail address in the page footer.

Shared values are spread as on the real web: every site has its own e-mail and phone in
its footer and 40% their own tracker id; registrars Zipfian over 12 (a few hold most
sites); name servers the registrar's default pair (60%), one of 400 Cloudflare pairs (25%)
or the site's own; 30% of sites on 50 mass-hosting addresses, the rest on addresses of
their own; creation dates spread over 5 years.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

POOL, VOCAB, SENTENCES, STOCK = 5_000, 50_000, 25, 8
CHANGED = 0.025


class Corpus:
    def __init__(self, seed: int = 7):
        rng = np.random.default_rng(seed)
        self.vocab = np.array([f"w{i}" for i in range(VOCAB)])
        p = 1 / np.arange(1, VOCAB + 1) ** 1.05
        self.word_cdf = np.cumsum(p / p.sum())
        self.pool = [self._sentence_from(rng) for _ in range(POOL)]
        q = 1 / np.arange(1, POOL + 1) ** 0.8
        self.pool_cdf = np.cumsum(q / q.sum())
        self.registrars = [f"Registrar {k} Inc." for k in range(12)]
        r = 1 / np.arange(1, 13) ** 1.2
        self.registrar_p = r / r.sum()

    def _sentence_from(self, rng) -> str:
        words = self.vocab[np.searchsorted(self.word_cdf, rng.random(16))]
        return (words[0].capitalize() + " " + " ".join(words[1:]) + ".")

    def text(self, rng, name: str) -> list[str]:
        """25 sentences: 8 stock, 17 of the site's own, its name in three."""
        own = [self._sentence_from(rng) for _ in range(SENTENCES - STOCK)]
        stock = [self.pool[i] for i in np.searchsorted(self.pool_cdf, rng.random(STOCK))]
        out = own + stock
        rng.shuffle(out)
        for k in (0, 9, 18):
            out[k] = f"At {name} {out[k][0].lower()}{out[k][1:]}"
        return out


def page(name: str, sentences: list[str], tracker: str | None, email: str, phone: str) -> str:
    head = (f'<script async src="https://www.googletagmanager.com/gtag/js?id={tracker}">'
            f"</script><script>gtag('config', '{tracker}');</script>" if tracker else "")
    paras = "".join(f"<p>{' '.join(sentences[k:k + 5])}</p>" for k in range(0, SENTENCES, 5))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name} | IT'
            f" consulting</title>{head}</head><body><header><nav><a href=\"/\">Home</a> "
            '<a href="/services">Services</a> <a href="/about">About</a> <a href="/contact">'
            f"Contact</a></nav></header><main><h1>{name}</h1>{paras}</main><footer><p>Contact:"
            f' <a href="mailto:{email}">{email}</a> - Tel {phone}</p><p>&copy; 2024 {name}</p>'
            "</footer></body></html>")


def write_weeks(n: int, week1: Path, week2: Path, seed: int = 7
                ) -> list[tuple[str, list[str]]]:
    """Write both weeks; return the planted families: (what they share: "copy", "tracker"
    or "contact", their domains)."""
    corpus = Corpus(seed)
    rng = np.random.default_rng(seed + 1)
    copy_sites = int(n * 0.05) // 5 * 5
    tracker_sites = int(n * 0.01) // 5 * 5
    contact_sites = int(n * 0.01) // 4 * 4
    families: list[tuple[str, list[str]]] = []
    original: list[str] = []
    mass = [f"198.51.100.{k}" for k in range(50)]
    with open(week1, "w") as one, open(week2, "w") as two:
        for i in range(n):
            domain, name = f"site{i}.com", f"Company{i}"
            tracker = f"G-{i:08d}" if rng.random() < 0.4 else None
            email = f"info@{domain}"
            if i < copy_sites:
                if i % 5 == 0:
                    original = corpus.text(rng, name)
                    families.append(("copy", []))
                sentences = list(original)
                for k in rng.choice(SENTENCES, size=5, replace=False):
                    sentences[k] = corpus._sentence_from(rng)
                sentences = [s.replace(f"Company{i - i % 5} ", f"{name} ") for s in sentences]
            else:
                sentences = corpus.text(rng, name)
            j = i - copy_sites
            if 0 <= j < tracker_sites:
                if j % 5 == 0:
                    families.append(("tracker", []))
                tracker = f"G-FAM{j // 5:07d}"
            k = j - tracker_sites
            if 0 <= k < contact_sites:
                if k % 4 == 0:
                    families.append(("contact", []))
                email = f"jobs.team{k // 4}@gmail.com"
            if i < copy_sites + tracker_sites + contact_sites:
                families[-1][1].append(domain)
            phone = f"+1 415 {200 + i // 10000 % 800:03d} {i % 10000:04d}"
            roll = rng.random()
            ns = (["dns1.registrar-servers.com", "dns2.registrar-servers.com"] if roll < 0.6
                  else [f"{a}.ns.cloudflare.com" for a in
                        (f"ada{int(rng.integers(400))}", f"bob{int(rng.integers(400))}")]
                  if roll < 0.85 else [f"ns1.{domain}", f"ns2.{domain}"])
            day = int(rng.integers(5 * 365))
            features = {
                "registrar": corpus.registrars[int(rng.choice(12, p=corpus.registrar_p))],
                "creation_date": f"{2019 + day // 365}-{1 + day % 365 // 31:02d}-"
                                 f"{1 + day % 28:02d}T00:00:00",
                "nameservers": ns,
                "ips": [mass[int(rng.integers(50))] if rng.random() < 0.3 else
                        f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"],
            }
            line = {"domain": domain, "features": features, "pages": [{
                "url": f"https://{domain}/", "status": 200,
                "html": page(name, sentences, tracker, email, phone)}]}
            one.write(json.dumps(line) + "\n")
            if rng.random() < CHANGED:  # next week: a few sentences rewritten
                for k in rng.choice(SENTENCES, size=3, replace=False):
                    sentences[k] = corpus._sentence_from(rng)
                line["pages"][0]["html"] = page(name, sentences, tracker, email, phone)
            two.write(json.dumps(line) + "\n")
    return families
