"""The parsed copies of data files kept between runs (kg.cache)."""

from __future__ import annotations

import pickle
from pathlib import Path

from kg.cache import cache_file, load_cached


def test_a_copy_written_by_code_that_is_gone_is_built_anew(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    src = tmp_path / "words.txt"
    src.write_text("乡村 n\n", encoding="utf-8")
    copy = cache_file("words", [src])
    copy.parent.mkdir(parents=True)
    # a pickle naming a module that cannot be imported (a copy made by running a module as a script)
    copy.write_bytes(pickle.dumps(1, protocol=2).replace(b"K\x01", b"cno_such_module_kg\nThing\n)\x81"))
    try:
        pickle.loads(copy.read_bytes())
    except ImportError:
        pass
    else:
        raise AssertionError("the planted copy should not load")
    assert load_cached("words", [src], lambda: {"乡村": "n"}) == {"乡村": "n"}
    assert pickle.loads(copy.read_bytes()) == {"乡村": "n"}  # and the good copy replaced it
