"""Word segmentation: jieba-rs must cut exactly as jieba does with the same dictionary and lexicon.

kg.segment uses rjieba (jieba's algorithm and dictionary in Rust) for speed; the rules
were written against jieba's words, so any difference would silently move spans.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.normalize import normalize
from kg.read import iter_report_paths, read_report
from kg.segment import LEXICON, lexicon_entries, words

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def jieba_tokenizer():
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(LEXICON))
    return tokenizer


def _texts(*folders: Path) -> list[tuple[str, str]]:
    out = []
    for folder in folders:
        if folder.is_dir():
            for path in iter_report_paths([folder]):
                out.append((path.name, normalize(read_report(path)).text))
    return out


def test_same_words_as_jieba_on_every_sample_report(jieba_tokenizer) -> None:
    texts = _texts(ROOT / "data" / "reports", ROOT / "eval" / "dev" / "corpus", ROOT.parent / "shared" / "dev-reports")
    assert len(texts) >= 10
    differ = [name for name, text in texts if words(text) != jieba_tokenizer.lcut(text, HMM=False)]
    assert differ == []


def test_every_lexicon_word_stays_one_word(jieba_tokenizer) -> None:
    # jieba's user words can be overridden by longer dictionary words (fxsjy/jieba#14)
    entries = lexicon_entries()
    assert len(entries) == len([line for line in LEXICON.read_text(encoding="utf-8").splitlines() if line.strip()])
    for word, _, _ in entries:
        sentence = f"县{word}召开会议"
        assert words(sentence) == jieba_tokenizer.lcut(sentence, HMM=False)
        assert word in words(sentence), word


def test_words_cover_the_text_without_gaps() -> None:
    text = "2023年，县农业农村局下达衔接资金200万元，支持兴源村发展。\n（来源：某县融媒体中心）"
    assert "".join(words(text)) == text
