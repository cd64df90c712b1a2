"""Cryptocurrency wallet addresses on pages: Bitcoin, Ethereum, TRON (checksums verified)."""

from __future__ import annotations

import hashlib
import re

from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BTC_LEGACY = re.compile(r"\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b")
_BTC_BECH32 = re.compile(r"\bbc1[02-9ac-hj-np-z]{11,71}\b", re.I)
_ETH = re.compile(r"\b0x[0-9a-fA-F]{40}\b")
_TRON = re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")


def base58check_ok(text: str) -> bool:
    """True when ``text`` is base58 whose last 4 bytes are its double-SHA-256 checksum."""
    num = 0
    for ch in text:
        num = num * 58 + _B58.index(ch)
    raw = num.to_bytes(25, "big") if num.bit_length() <= 200 else b""
    if len(raw) != 25:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def wallets(page: PageContext) -> list[str]:
    text = page.body_text + " " + " ".join(page.hrefs())
    found: dict[str, None] = {}
    for m in _BTC_LEGACY.finditer(text):
        if base58check_ok(m.group(0)):
            found.setdefault(f"btc:{m.group(0)}", None)
    for m in _BTC_BECH32.finditer(text):
        found.setdefault(f"btc:{m.group(0).lower()}", None)
    for m in _ETH.finditer(text):
        found.setdefault(f"eth:{m.group(0).lower()}", None)
    for m in _TRON.finditer(text):
        if base58check_ok(m.group(0)):
            found.setdefault(f"trx:{m.group(0)}", None)
    return list(found)


register(ValueKind(
    name="wallet",
    label="same cryptocurrency wallet",
    values=values_of("wallets"),
    feature="wallets",
    page_values=wallets,
))
