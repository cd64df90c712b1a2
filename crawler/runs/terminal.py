"""Crawled text on a terminal: no control sequences reach it.

Example:
    >>> safe_text("title\\x1b[31m red\\x9b2J")
    'title\\\\x1b[31m red\\\\x9b2J'
    >>> json_line({"t": "中文\\x1b"})
    '{"t": "中文\\\\u001b"}'
"""

from __future__ import annotations

import json
import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides that reorder text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """``text`` with every control character shown as an escape instead of acting."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", text)


def json_line(obj) -> str:
    """One JSON line, readable (non-ASCII kept) and with every control character escaped."""
    text = json.dumps(obj, ensure_ascii=False, default=str)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
