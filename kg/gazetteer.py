"""China's administrative divisions: names, GB/T 2260 codes, levels and parents.

The data file ``data/gazetteer/china_divisions.tsv.gz`` is derived, never typed:
``python -m kg.gazetteer build JIONLP_WHEEL`` reads ``china_location.zip`` (every
province, city, county with its code, and the townships and villages under them)
and ``china_location_change.txt`` (renamed units) from the wheel of the well-kept
``jionlp`` package (``make gazetteer`` downloads the wheel and runs it).

>>> g = load_gazetteer()
>>> [(e.name, e.level, e.code) for e in g.by_name("遵义市")]
[('遵义市', 'city', '520300')]
>>> g.get(g.by_name("汇川区")[0].parent).name
'遵义市'
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError
from kg.registers import place_abbreviations, registers_dir

GAZETTEER_FILE = "gazetteer/china_divisions.tsv.gz"


def data_dir() -> Path:
    """The project's data folder (``KG_HOME/data`` when KG_HOME is set)."""
    home = os.environ.get("KG_HOME")
    return (Path(home) if home else Path(__file__).resolve().parent.parent) / "data"


LEVELS = ("province", "city", "county", "township", "village")
#: The four municipalities directly under the central government: cities at the level of provinces.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# Ethnic qualifiers inside official names (大通回族土族自治县, 朔北藏族乡): texts
# usually drop them (大通县, 朔北乡), so the short form is an alias.
_ETHNIC_GROUPS = (
    "汉 壮 回 满 维吾尔 苗 彝 土家 藏 蒙古 侗 布依 瑶 白 朝鲜 哈尼 黎 哈萨克 傣 畲 傈僳 东乡 仡佬 拉祜 佤 水 纳西 羌 土 "
    "仫佬 锡伯 柯尔克孜 景颇 达斡尔 撒拉 布朗 毛南 塔吉克 普米 阿昌 怒 鄂温克 京 基诺 德昂 保安 俄罗斯 裕固 乌孜别克 "
    "门巴 鄂伦春 独龙 赫哲 高山 珞巴 塔塔尔"
).split()
_ETHNIC = re.compile(
    "(?:(?:" + "|".join(sorted(_ETHNIC_GROUPS, key=len, reverse=True)) + ")族)+(?:自治)?(?=(?:县|旗|州|乡|镇|区)$)"
)


def without_ethnic(name: str) -> str:
    """The name without its ethnic qualifier, as texts usually write it.

    >>> without_ethnic("大通回族土族自治县"), without_ethnic("朔北藏族乡")
    ('大通县', '朔北乡')
    """
    return _ETHNIC.sub("", name)


@dataclass(frozen=True)
class Division:
    """One administrative division; ``key`` is its code, or the parent key plus its name."""

    key: str
    name: str
    level: str
    code: str | None
    parent: str | None
    short: str | None = None

    @property
    def node_key(self) -> str:
        """The key its graph node is named by: the code, so that a municipality's city-level
        twin (上海市 under 上海市, key 310000c) and the municipality are one node."""
        return self.code or self.key


class Gazetteer:
    """Look-ups over the divisions by key and by any of their names."""

    def __init__(self, divisions: list[Division], aliases: dict[str, list[str]], villages: dict[str, str],
                 renamed: dict[str, list[tuple[str, str]]] | None = None) -> None:
        self._by_key = {d.key: d for d in divisions}
        # key -> (date, name it bore until that date), oldest first
        self._renamed = {key: sorted(changes) for key, changes in (renamed or {}).items()}
        self._by_name: dict[str, list[Division]] = {}
        self._children: dict[str, list[Division]] = {}
        for d in divisions:
            for name in self.names_of(d):
                self._add_name(name, d)
            if d.parent:
                self._children.setdefault(d.parent, []).append(d)
        for name, keys in aliases.items():
            for key in keys:
                if key in self._by_key:
                    self._add_name(name, self._by_key[key])
        # Villages are many (~650k): kept as name -> "|"-joined township keys and
        # turned into Division objects only when asked for.
        self._villages = villages

    def _add_name(self, name: str, d: Division) -> None:
        found = self._by_name.setdefault(name, [])
        if d not in found:
            found.append(d)

    @staticmethod
    def names_of(d: Division) -> list[str]:
        """The official name and the forms reports commonly write instead."""
        names = [d.name]
        stripped = without_ethnic(d.name)
        if stripped != d.name and len(stripped) >= 2:
            names.append(stripped)
        if d.short and len(d.short) >= 2 and d.level in ("province", "city", "county"):
            names.append(d.short)
            if d.level == "county" and d.name.endswith("自治县"):
                names.append(d.short + "县")
            if d.name.endswith(("自治县", "自治旗", "自治州")):
                names.append(d.short + d.name[-3:])  # 务川自治县: the usual short name with its status
            if d.level == "county" and d.name[-1] in "市区" and d.short == d.name[:-1]:
                names.append(d.short + "县")  # 康定县: the county a city or district was, in older texts
            if d.level == "city" and d.name.endswith("自治州"):
                names.append(d.short + "州")
            if d.level == "province" and d.name.endswith("自治区") and d.short + "自治区" != d.name:
                names.append(d.short + "自治区")  # 宁夏自治区, 广西自治区: the region without its people's name
        return names

    def get(self, key: str | None) -> Division | None:
        """Division by key (code or parent-key-name)."""
        if not key:
            return None
        d = self._by_key.get(key)
        if d is None and key.count("-") == 2:
            parent, _, name = key.rpartition("-")
            if parent in self._by_key and parent in self._villages.get(name, "").split("|"):
                d = Division(key, name, "village", None, parent)
        return d

    def name_on(self, d: Division, date: str | None) -> str:
        """The name a division bore on a date (ISO, as reports give it); its present name without one.

        >>> g = load_gazetteer()
        >>> d = g.by_name("水城区")[0]
        >>> g.name_on(d, "2019-05-01"), g.name_on(d, "2021-05-01"), g.name_on(d, None)
        ('水城县', '水城区', '水城区')
        """
        if date and date[:4].isdigit():
            for changed, old in self._renamed.get(d.key, ()):
                if date[:10] < changed and old[-1] in "省市县区州盟旗":
                    return old
        return d.name

    def old_names(self, d: Division) -> set[str]:
        """The names a division bore before the renamings the change list dates (湟中县 of 湟中区).

        >>> g = load_gazetteer()
        >>> g.old_names(g.by_name("湟中区")[0])
        {'湟中县'}
        """
        return {old for _, old in self._renamed.get(d.key, ())}

    def by_name(self, name: str, villages: bool = True) -> list[Division]:
        """Every division that this name (official or usual short form) may denote (``villages=False``: above them)."""
        found = self._by_name.get(name, [])
        if villages and name in self._villages:
            found = found + [
                Division(f"{parent}-{name}", name, "village", None, parent)
                for parent in self._villages[name].split("|")
            ]
        return found

    def place_chain(self, text: str) -> list[int] | None:
        """Where each place starts in ``text`` when it is only province, city and county names written one after
        another, official or short (湖北十堰竹山, 广西南宁), longest first; else None.

        >>> g = load_gazetteer()
        >>> g.place_chain("湖北十堰竹山"), g.place_chain("驻村")
        ([0, 2, 4], None)
        """
        pos, starts = 0, []
        while pos < len(text):
            length = next((n for n in range(min(len(text) - pos, 12), 1, -1) if any(
                d.level in ("province", "city", "county") for d in self._by_name.get(text[pos : pos + n], ()))), 0)
            if not length:
                return None
            starts.append(pos)
            pos += length
        return starts or None

    def shortened(self, name: str) -> list[Division]:
        """Counties and cities whose usual short name this is (黄梅 of 黄梅县).

        >>> [d.name for d in load_gazetteer().shortened("黄梅")]
        ['黄梅县']
        """
        return [d for d in self._by_name.get(name, ()) if d.short == name and d.level in ("county", "city")]

    def village_parents(self, name: str) -> list[str]:
        """Keys of the townships holding a village of this name (no objects built: 胜利村 has hundreds).

        >>> g = load_gazetteer()
        >>> "120116-太平镇" in g.village_parents("崔庄村")
        True
        """
        held = self._villages.get(name)
        return held.split("|") if held else []

    def children(self, key: str) -> list[Division]:
        """Divisions directly inside one division (townships and above)."""
        return self._children.get(key, [])

    def ancestors(self, d: Division) -> list[Division]:
        """Enclosing divisions, nearest first."""
        out = []
        cur = self.get(d.parent)
        while cur is not None:
            out.append(cur)
            cur = self.get(cur.parent)
        return out

    def at_level(self, level: str) -> list[Division]:
        """Every division of one level (province, city, county or township), in file order."""
        return [d for d in self._by_key.values() if d.level == level]

    def names(self, levels: tuple[str, ...] = LEVELS) -> list[str]:
        """Every name (official and short) of divisions at these levels, villages excepted."""
        return [n for n, ds in self._by_name.items() if any(d.level in levels for d in ds)]


@lru_cache(maxsize=1)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """Load the bundled gazetteer (cached in memory, and as a pickle between runs: 0.6 s, not 1.9 s)."""
    from kg.cache import load_cached

    file = Path(path) if path else data_dir() / GAZETTEER_FILE
    abbreviations = registers_dir() / "place_abbreviations.tsv"
    # The names index is built by this module (names_of): its code is part of the cached copy.
    return load_cached("gazetteer", [file, abbreviations, Path(__file__)], lambda: _parse_gazetteer(file))


def _parse_gazetteer(file: Path) -> Gazetteer:
    divisions: list[Division] = []
    aliases: dict[str, list[str]] = {}
    villages: dict[str, str] = {}
    renamed: dict[str, list[tuple[str, str]]] = {}
    with gzip.open(file, "rt", encoding="utf-8") as fh:
        for line in fh:
            kind, rest = line[0], line[2:].rstrip("\n")
            if kind == "V":
                name, parent = rest.split("\t")
                old = villages.get(name)
                villages[name] = parent if old is None else old + "|" + parent
            elif kind == "D":
                key, name, level, code, parent, short = rest.split("\t")
                divisions.append(Division(key, name, level, code or None, parent or None, short or None))
            else:
                name, key, date = (rest.split("\t") + [""])[:3]
                aliases.setdefault(name, []).append(key)
                if date:
                    renamed.setdefault(key, []).append((date, name))
    # Short names the gazetteer's own forms miss (博州), from the register of place abbreviations, with their sources.
    keys = {d.name: d.key for d in divisions if d.level in ("province", "city", "county")}
    for short, official in place_abbreviations():
        if official not in keys:
            raise KgError(f"place_abbreviations.tsv: {official!r} (for {short!r}) is no province, city or county of the gazetteer")
        aliases.setdefault(short, []).append(keys[official])
    return Gazetteer(divisions, aliases, villages, renamed)


def build_gazetteer(wheel: str, out: str) -> int:
    """Derive the gazetteer file from a jionlp wheel; returns the number of divisions."""
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        loc_zip = next(n for n in names if n.endswith("dictionary/china_location.zip"))
        change = next(n for n in names if n.endswith("dictionary/china_location_change.txt"))
        with zipfile.ZipFile(io.BytesIO(whl.read(loc_zip))) as inner:
            text = inner.read(inner.namelist()[0]).decode("utf-8")
        change_text = whl.read(change).decode("utf-8")
    rows: dict[str, list[str]] = {}  # key -> [name, level, code, parent, short]
    villages: list[tuple[str, str]] = []
    stack: list[tuple[str, str]] = []  # (key, name) of the enclosing divisions, by depth
    by_path: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        name = parts[0]
        parent = stack[depth - 1][0] if depth > 0 else ""
        if depth >= 4:
            villages.append((name, parent))
            continue
        code = parts[1][:6] if len(parts) > 1 and parts[1] else ""
        short = parts[2] if len(parts) > 2 else ""
        # Municipalities repeat themselves as their own city level (上海市/上海市).
        key = code + "c" if depth == 1 and code and code == parent else code or f"{parent}-{name}"
        del stack[depth:]
        stack.append((key, name))
        rows.setdefault(key, [name, LEVELS[depth], code, parent, short])
        if depth <= 2:
            by_path.setdefault(tuple(n for _, n in stack), key)
    aliases: list[tuple[str, str, str]] = []  # (old name, key, date of the change)
    # The change list is newer than the location list: a unit renamed there
    # (a county turned district) takes its new name, the old one stays an alias
    # with the date it gave way (a report of 2019 still writes 水城县, renamed 2020).
    for line in change_text.splitlines():
        old, _, new = line.partition("=>")
        date = old.split("\t")[0]
        old_parts, new_parts = old.split("\t")[2:], tuple(new.split("\t"))
        if len(old_parts) < 2 or not new_parts or not new_parts[-1]:
            continue
        old_path = tuple(old_parts[0::2])
        key = by_path.get(new_parts) or by_path.get(new_parts[:-1] + (old_parts[-2],))
        if key is None:
            continue
        if rows[key][0] != new_parts[-1]:
            aliases.append((rows[key][0], key, date))
            rows[key][0] = new_parts[-1]
            if rows[key][4] and new_parts[-1].startswith(rows[key][4]) is False:
                rows[key][4] = ""
        if old_path[-1] != new_parts[-1]:
            aliases.append((old_path[-1], key, date))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for key, (name, level, code, parent, short) in rows.items():
            fh.write(f"D\t{key}\t{name}\t{level}\t{code}\t{parent}\t{short}\n")
        written: set[tuple[str, str]] = set()
        for name, key, date in aliases:
            if (name, key) not in written:
                written.add((name, key))
                fh.write(f"A\t{name}\t{key}\t{date}\n")
        for name, parent in villages:
            fh.write(f"V\t{name}\t{parent}\n")
    return len(rows) + len(villages)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if len(sys.argv) != 3 or sys.argv[1] != "build":
        sys.exit("usage: python -m kg.gazetteer build JIONLP_WHEEL")
    n = build_gazetteer(sys.argv[2], str(data_dir() / GAZETTEER_FILE))
    print(f"wrote {n} divisions to {data_dir() / GAZETTEER_FILE}")
