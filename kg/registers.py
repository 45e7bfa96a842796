"""Registers of organs, financial institutions, media and budget levels: data files read once, with their sources.

The files are ``data/registers/*.tsv`` (sources in ``data/registers/SOURCES.md``). Like a
lookup table, each is parsed on first use and kept.

>>> organ_for_tail("人社局", "county").name
'人力资源和社会保障局'
>>> organ_for_tail("财政", "province").name, organ_for_tail("财政", "county").name
('财政厅', '财政局')
>>> bank_for_short("农发行").full
'中国农业发展银行'
>>> is_media_name("湖北日报"), is_media_name("农业农村局")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError
from kg.resources import project_root

__all__ = [
    "Organ", "Bank", "organs", "organ_for_tail", "organ_tails", "national_organs", "name_endings", "banks", "bank_for_short", "bank_kinds",
    "media_outlets", "media_suffixes", "is_media_name", "registers_dir", "province_of_short", "province_short_chars", "autonomous_regions",
    "place_abbreviations",
    "BudgetLevel", "budget_levels", "tibetan_name_elements", "surnames", "compound_surnames", "former_organ_name",
]


@dataclass(frozen=True)
class Organ:
    """A kind of body written after a place: its full form, short forms, type, levels and prefix."""

    name: str
    short: tuple[str, ...]
    type: str
    levels: frozenset[str]
    prefix: str

    def fits(self, level: str | None) -> bool:
        """True when a place of ``level`` may carry this body (any level when unknown)."""
        return level is None or "any" in self.levels or level in self.levels


@dataclass(frozen=True)
class Bank:
    """A bank or kind of bank: full name ("" for a kind written after a place), short forms, core."""

    full: str
    short: tuple[str, ...]
    core: str
    kind: str


@dataclass(frozen=True)
class BudgetLevel:
    """A word that names a budget level (省级, 自治区), its rank from the centre (3) down, and the funder of its money."""

    word: str
    #: "level": names the level by itself (省级资金); "place": only before 财政 or 本级 (省财政, 县本级)
    form: str
    rank: int
    funder: str


def registers_dir() -> Path:
    """The folder of the register files."""
    return project_root() / "data" / "registers"


def _rows(name: str, columns: int) -> list[list[str]]:
    path = registers_dir() / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KgError(f"{path}: cannot read the register ({exc.strerror})") from exc
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns:
            raise KgError(f"{path}:{number}: expected {columns} tab-separated columns, found {len(cells)}")
        out.append(cells)
    return out


def place_abbreviations() -> list[tuple[str, str]]:
    """(short name, official name) of places whose usual short names the gazetteer lacks (博州).

    >>> ("博州", "博尔塔拉蒙古自治州") in place_abbreviations()
    True
    """
    return [(short, official) for short, official, _source in _rows("place_abbreviations.tsv", 3)]


def _list(cell: str) -> tuple[str, ...]:
    return () if cell == "-" else tuple(x for x in cell.split(",") if x)


@lru_cache(maxsize=1)
def organs() -> tuple[Organ, ...]:
    """Every organ row of ``organs.tsv``."""
    return tuple(Organ(name, _list(short), typ, frozenset(levels.split(",")), "" if prefix == "-" else prefix)
                 for name, short, typ, levels, prefix, _source in _rows("organs.tsv", 6))


@lru_cache(maxsize=1)
def _organ_tails() -> dict[str, tuple[Organ, ...]]:
    """Full and short tails -> the organs they may name (full forms first)."""
    out: dict[str, list[Organ]] = {}
    placed = [o for o in organs() if "ending" not in o.levels]  # endings follow a name, not a place
    for o in placed:
        out.setdefault(o.name, []).insert(0, o)
    for o in placed:
        for s in o.short:
            out.setdefault(s, []).append(o)
    return {k: tuple(v) for k, v in out.items()}


def organ_tails() -> frozenset[str]:
    """Every full or short form of an organ that follows a place."""
    return frozenset(t for t, os in _organ_tails().items() if any("national" not in o.levels for o in os))


@lru_cache(maxsize=1)
def national_organs() -> dict[str, Organ]:
    """Bodies named alone, by every form of their name (党中央 -> 中共中央).

    >>> national_organs()["党中央"].name
    '中共中央'
    """
    return {form: o for o in organs() if "national" in o.levels for form in (o.name, *o.short)}


@lru_cache(maxsize=1)
def name_endings() -> dict[str, Organ]:
    """Last words of bodies' own names (研究所, 工作队), by every form, read after a proper name.

    >>> name_endings()["研究所"].type, name_endings()["管委会"].name
    ('SocialOrganization', '管理委员会')
    """
    return {form: o for o in organs() if "ending" in o.levels for form in (o.name, *o.short)}


def organ_for_tail(tail: str, level: str | None) -> Organ | None:
    """The organ that ``tail`` (the part after a place) names at a place of ``level``."""
    for o in _organ_tails().get(tail, ()):
        if o.fits(level):
            return o
    return None


@lru_cache(maxsize=1)
def banks() -> tuple[Bank, ...]:
    """Every row of ``financial.tsv``."""
    return tuple(Bank("" if full == "-" else full, _list(short), core, kind)
                 for full, short, core, kind, _source in _rows("financial.tsv", 5))


@lru_cache(maxsize=1)
def _bank_shorts() -> dict[str, Bank]:
    out: dict[str, Bank] = {}
    for b in banks():
        for s in b.short:
            out.setdefault(s, b)
    return out


def bank_for_short(short: str) -> Bank | None:
    """The bank (or kind of bank) a short form names."""
    return _bank_shorts().get(short)


def bank_kinds() -> tuple[Bank, ...]:
    """Kinds of bank written after a place (农村商业银行, 村镇银行 …)."""
    return tuple(b for b in banks() if not b.full)


@lru_cache(maxsize=1)
def _media_rows() -> tuple[tuple[str, str], ...]:
    return tuple((n, kind) for n, kind, _s in _rows("media.tsv", 3))


@lru_cache(maxsize=1)
def media_outlets() -> frozenset[str]:
    """Whole names of outlets (新华社, 人民网)."""
    return frozenset(n for n, kind in _media_rows() if kind == "outlet")


@lru_cache(maxsize=1)
def media_suffixes() -> tuple[str, ...]:
    """Endings of outlet names, longest first (广播电视台 before 电视台)."""
    return tuple(sorted((n for n, kind in _media_rows() if kind == "suffix"), key=len, reverse=True))


def is_media_name(name: str) -> bool:
    """True for a named outlet or a name with a media ending other than the bare ending."""
    if name in media_outlets():
        return True
    return any(name.endswith(s) and len(name) > len(s) + 1 for s in media_suffixes() if len(s) >= 2)


@lru_cache(maxsize=1)
def _province_shorts() -> dict[str, str]:
    return {short: province for province, shorts in _rows("province_abbreviations.tsv", 2) for short in shorts.split("|")}


def province_short_chars() -> str:
    """Every one-character short name of a province, as a regex character class's contents.

    >>> all(c in province_short_chars() for c in "苏陕沪滇")
    True
    """
    return "".join(sorted(_province_shorts()))


@lru_cache(maxsize=1)
def autonomous_regions() -> tuple[str, ...]:
    """The full names of the province-level autonomous regions (a bare 自治区 is a budget level, 西藏自治区 a place).

    >>> "西藏自治区" in autonomous_regions(), len(autonomous_regions())
    (True, 5)
    """
    return tuple(p for p in dict.fromkeys(province for province, _ in _rows("province_abbreviations.tsv", 2)) if p.endswith("自治区"))


def province_of_short(short: str) -> str | None:
    """The province a one-character short name stands for (陕 -> 陕西省), or None.

    >>> province_of_short("陕"), province_of_short("滇"), province_of_short("县")
    ('陕西省', '云南省', None)
    """
    return _province_shorts().get(short)


@lru_cache(maxsize=1)
def budget_levels() -> tuple[BudgetLevel, ...]:
    """The words of the budget levels (``budget_levels.tsv``): level words first, then place words, longest first.

    >>> [(b.word, b.rank, b.funder) for b in budget_levels() if b.word in ("中央", "省", "自治区")]
    [('中央', 3, '中央财政'), ('自治区', 2, '自治区财政'), ('省', 2, '省级财政')]
    """
    out = []
    for word, form, rank, funder, _source in _rows("budget_levels.tsv", 5):
        if form not in ("level", "place") or not rank.isdigit():
            raise KgError(f"{registers_dir() / 'budget_levels.tsv'}: bad row for {word!r}: form must be level or place, "
                          "rank a whole number")
        out.append(BudgetLevel(word, form, int(rank), funder))
    return tuple(sorted(out, key=lambda b: (b.form != "level", -len(b.word))))


@lru_cache(maxsize=1)
def _renamed_organs() -> tuple[tuple[str, str, str, int], ...]:
    return tuple((name, before, short, int(until)) for name, before, short, until, _ in _rows("renamed_organs.tsv", 5))


def former_organ_name(name: str, written: str, year: int | None) -> str:
    """The name a short form meant in a report of ``year``, before a reform renamed the body (``renamed_organs.tsv``).

    >>> former_organ_name("甲省农业农村委员会", "省农委", 2014), former_organ_name("甲省农业农村委员会", "省农委", 2020)
    ('甲省农业委员会', '甲省农业农村委员会')
    """
    if year is None:
        return name
    for now, before, short, until in _renamed_organs():
        if year < until and name.endswith(now) and written.endswith(short):
            return name[: -len(now)] + before
    return name


@lru_cache(maxsize=1)
def tibetan_name_elements() -> frozenset[str]:
    """The two-character words Tibetan personal names are made of (``tibetan_name_elements.tsv``): 扎西, 次仁, 多杰 ….

    >>> {"扎西", "次仁", "卓玛"} <= tibetan_name_elements(), "农业" in tibetan_name_elements()
    (True, False)
    """
    return frozenset(element for element, _source in _rows("tibetan_name_elements.tsv", 2))


@lru_cache(maxsize=1)
def _surname_rows() -> tuple[tuple[str, str], ...]:
    rows = _rows("surnames.tsv", 3)
    bad = [name for name, kind, _source in rows if kind not in ("single", "compound") or len(name) != (1 if kind == "single" else 2)]
    if bad:
        raise KgError(f"{registers_dir() / 'surnames.tsv'}: bad rows for {', '.join(bad)}: a single surname is one character, "
                      "a compound two")
    return tuple((name, kind) for name, kind, _source in rows)


def surnames() -> frozenset[str]:
    """One-character Chinese surnames (``surnames.tsv``, after 《百家姓》 and the national name report).

    >>> {"王", "欧", "肖"} <= surnames(), "的" in surnames()
    (True, False)
    """
    return frozenset(name for name, kind in _surname_rows() if kind == "single")


def compound_surnames() -> frozenset[str]:
    """Two-character Chinese surnames (``surnames.tsv``): 欧阳, 司马, 诸葛 ….

    >>> {"欧阳", "诸葛"} <= compound_surnames()
    True
    """
    return frozenset(name for name, kind in _surname_rows() if kind == "compound")
