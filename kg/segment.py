"""Split normalized text into sentences and words (jieba plus the domain lexicon).

>>> from kg.segment import split_sentences
>>> [s.text for s in split_sentences("一、抓党建。区委成立小组！\\n下达资金")]
['一、抓党建。', '区委成立小组！', '下达资金']
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import DependencyError
from kg.model import Sentence

# A sentence ends at 。！？!? ； or a line break; closing quotes stay with it.
_SENTENCE = re.compile(r"[^。！？!?;；\n]*(?:[。！？!?;；]+[”’」』)]*|\n|$)")
LEXICON = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "domain.txt"


#: The longest sentence kept whole. Real sentences stay far below (the development reports'
#: longest is ~400 characters); text with no sentence marks (a table dumped on one line, a
#: page without punctuation) is cut into pieces of at most this, at the last clause mark.
MAX_SENTENCE_CHARS = 2000
_CLAUSE_MARKS = "，,、：:）)」』”"


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into spans of at most :data:`MAX_SENTENCE_CHARS`, after a clause mark where there is one.

    >>> _pieces("甲乙丙丁戊，" * 700, 0, 4200)
    [(0, 1998), (1998, 3996), (3996, 4200)]
    """
    out = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(mark, start + MAX_SENTENCE_CHARS // 2, limit) for mark in _CLAUSE_MARKS) + 1
        cut = cut if cut > start else limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences with their offsets in ``text``; blank ones are dropped, spaces trimmed.

    A run longer than :data:`MAX_SENTENCE_CHARS` without a sentence mark is cut at clause marks.

    >>> [len(s.text) for s in split_sentences("资金" * 2500 + "。")]
    [2000, 2000, 1001]
    """
    out: list[Sentence] = []
    for m in _SENTENCE.finditer(text):
        for span_start, span_end in _pieces(text, *m.span()):
            start, end = span_start, span_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append(Sentence(len(out), start, end, text[start:end]))
    return tuple(out)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """jieba-rs (rjieba) with the domain lexicon: jieba's dictionary and algorithm, compiled.

    Without HMM it gives the same words as ``jieba.Tokenizer().lcut(text, HMM=False)`` with
    the same user words (tests/test_segment.py compares them on every sample report) at
    about 17 times the speed, and loads its dictionary in a fraction of jieba's second.
    """
    try:
        import rjieba
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise DependencyError(
            "rjieba is needed for word segmentation: pip install rjieba (or `make demo` sets up .venv)"
        ) from exc
    # rjieba loads its dictionary into a module-wide segmenter on import; a second Jieba()
    # would load it again (~0.1 s in every ingest worker), so the lexicon goes into that one
    for word, freq, tag in lexicon_entries():
        rjieba.add_word(word, freq, tag)
    return rjieba


def lexicon_entries() -> list[tuple[str, int | None, str | None]]:
    """The domain lexicon's words with their frequency and tag, as jieba's user dictionaries write them.

    >>> ("农业农村局", 2000, "nt") in lexicon_entries()
    True
    """
    if not LEXICON.exists():
        return []
    entries = []
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            entries.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return entries


def words(text: str) -> list[str]:
    """Words of a text: jieba's dictionary with the domain lexicon, no HMM guessing of new words.

    >>> "农业农村局" in words("市农业农村局召开推介会")
    True
    """
    return _segmenter().cut(text, False)


def _jieba_dictionary() -> Path | None:
    """jieba's dict.txt, found without importing jieba (its import takes ~0.13 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


@lru_cache(maxsize=1)
def pos_tags() -> dict[str, str]:
    """Part-of-speech of every word in jieba's dictionary and the domain lexicon (read, not tagged).

    jieba.posseg would build a second tokenizer for this; the table is just the third
    column of the dictionary files.
    """
    from kg.cache import load_cached

    files = [path for path in (_jieba_dictionary(), LEXICON) if path is not None and path.exists()]

    def read() -> dict[str, str]:
        tags: dict[str, str] = {}
        for path in files:
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) == 3:
                        tags[parts[0]] = parts[2]
        return tags

    # kept between runs like the gazetteer: every ingest worker needs it before its first report
    return load_cached("pos-tags", files, read)
