"""Split normalized text into sentences and words (jieba plus the domain lexicon).

>>> from kg.segment import split_sentences
>>> [s.text for s in split_sentences("一、抓党建。区委成立小组！\\n下达资金")]
['一、抓党建。', '区委成立小组！', '下达资金']
"""

from __future__ import annotations

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
def _jieba() -> Any:
    try:
        import jieba
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise DependencyError(
            "jieba is needed for word segmentation: pip install jieba (or `make demo` sets up .venv)"
        ) from exc
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    if LEXICON.exists():
        tokenizer.load_userdict(str(LEXICON))
    return tokenizer


def words(text: str) -> list[str]:
    """Words of a text: jieba with the domain lexicon, no HMM guessing of new words.

    >>> "农业农村局" in words("市农业农村局召开推介会")
    True
    """
    return _jieba().lcut(text, HMM=False)


@lru_cache(maxsize=1)
def pos_tags() -> dict[str, str]:
    """Part-of-speech of every word in jieba's dictionary and the domain lexicon (read, not tagged).

    jieba.posseg would build a second tokenizer for this; the table is just the third
    column of the dictionary files.
    """
    import jieba

    from kg.cache import load_cached

    files = [path for path in (Path(jieba.__file__).with_name("dict.txt"), LEXICON) if path.exists()]

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
