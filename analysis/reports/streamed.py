"""A report list that is read again each time it is iterated, never held whole.

A run of a million sites has a million site entries and as many clusters (each lone site is
a cluster of one); the report's ``sites`` and ``clusters`` are then ``Streamed``: every
consumer iterates them (the JSON encoder, each exporter, the diff), and each iteration reads
the store again a batch at a time. It subclasses ``list`` only so that ``json``'s encoder
writes it as an array (``write_json`` writes it an item at a time); it holds no items, so
indexing it is an error.

Example:
    >>> numbers = Streamed(lambda: iter(range(3)), 3)
    >>> list(numbers), len(numbers), sum(numbers)
    ([0, 1, 2], 3, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


class Streamed(list):
    """``produce()`` gives the items afresh; ``length``: how many, or None when that is only
    known by reading them (such a list is never empty)."""

    def __init__(self, produce: Callable[[], Iterable], length: int | None):
        super().__init__()
        self._produce, self._length = produce, length

    def __iter__(self) -> Iterator:
        return iter(self._produce())

    def __len__(self) -> int:
        if self._length is None:
            raise TypeError("this streamed list's length is known only by reading it")
        return self._length

    def __bool__(self) -> bool:
        return self._length is None or self._length > 0

    def __getitem__(self, index):
        raise TypeError("a streamed report list is read by iterating it")

    def __repr__(self) -> str:
        return f"<Streamed list of {self._length}>"


def write_json(value, out, indent: int = 1, default: Callable | None = None) -> None:
    """``value`` as JSON into the text file ``out``, never held whole: a ``Streamed`` list
    (inside dicts) is written an item at a time, one compact line each (json's C encoder,
    several times faster than indenting); the rest is indented. ``default`` as json's: what
    an object JSON cannot hold becomes.

    Example:
        >>> import io, json
        >>> out = io.StringIO()
        >>> write_json({"run": {"id": "1"}, "sites": Streamed(lambda: [{"a": 1}], 1)}, out)
        >>> json.loads(out.getvalue())
        {'run': {'id': '1'}, 'sites': [{'a': 1}]}
    """
    import json

    def dumps(item, pad: int | None) -> str:
        return json.dumps(item, ensure_ascii=False, indent=pad, default=default)

    def write(item, depth: int) -> None:
        if isinstance(item, Streamed):
            out.write("[")
            for n, element in enumerate(item):
                out.write(("," if n else "") + "\n" + dumps(element, None))
            out.write("\n]")
        elif isinstance(item, dict) and any(isinstance(v, dict | Streamed)
                                            for v in item.values()):
            out.write("{")
            for n, (key, element) in enumerate(item.items()):
                out.write(("," if n else "") + "\n" + " " * (depth + 1) * indent
                          + dumps(str(key), None) + ": ")
                write(element, depth + 1)
            out.write("\n" + " " * depth * indent + "}")
        else:
            out.write(dumps(item, indent))

    write(value, 0)
    out.write("\n")
