"""Parsed copies of data files, kept between runs and keyed by the files' paths, sizes and times.

>>> import os, tempfile
>>> from pathlib import Path
>>> work = Path(tempfile.mkdtemp())
>>> saved, os.environ["XDG_CACHE_HOME"] = os.environ.get("XDG_CACHE_HOME"), str(work / "cache")
>>> src = work / "words.txt"
>>> _ = src.write_text("乡村 n\\n振兴 v\\n", encoding="utf-8")
>>> def parse() -> dict[str, str]:
...     return dict(line.split() for line in src.read_text(encoding="utf-8").splitlines())
>>> load_cached("words", [src], parse)
{'乡村': 'n', '振兴': 'v'}
>>> cache_file("words", [src]).parent == work / "cache" / "policy-kg"
True
>>> load_cached("words", [src], lambda: "not called: the copy is read")
{'乡村': 'n', '振兴': 'v'}
>>> for n in range(5):  # five changes of the source: only the newest copies stay
...     _ = src.write_text("乡村 n\\n" * (n + 2), encoding="utf-8"); _ = load_cached("words", [src], parse)
>>> len(list(cache_file("words", [src]).parent.glob("words-*.pickle")))
3
>>> _ = os.environ.pop("XDG_CACHE_HOME") if saved is None else os.environ.update(XDG_CACHE_HOME=saved)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

__all__ = ["load_cached", "cache_file"]

T = TypeVar("T")


def cache_file(name: str, files: Sequence[Path]) -> Path:
    """Where the parsed copy of ``files`` is kept: ``$XDG_CACHE_HOME/policy-kg`` (else ``~/.cache``)."""
    parts = []
    for file in files:
        stat = file.stat()
        parts.append(f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
    key = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "policy-kg" / f"{name}-{key}.pickle"


def load_cached(name: str, files: Sequence[Path], build: Callable[[], T]) -> T:
    """``build()``, or the copy of its result kept since the last run with the same ``files``."""
    try:
        cache = cache_file(name, files)
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
        pass  # missing, damaged, or written by code that no longer exists: build it anew
    value = build()
    try:
        cache = cache_file(name, files)
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)  # atomic: a parallel worker never reads half a file
        _prune(cache.parent, name)
    except OSError:
        pass  # a read-only home: parse each time
    return value


#: Copies kept per name: every change of a source file (or of the code listed with it) makes a
#: new copy, and a few checkouts side by side should not rebuild each other's.
KEEP = 3


def _prune(folder: Path, name: str) -> None:
    """Drop all but the newest :data:`KEEP` copies of ``name`` (stale ones are never read again)."""
    copies = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in copies[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
