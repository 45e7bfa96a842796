"""Regions: gazetteer names, towns and villages by suffix in context, the report's jurisdiction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections import Counter
from functools import lru_cache

from kg.extract.common import (
    CJK,
    GENERIC_PLACES,
    LEVEL_RANK,
    Finds,
    Tokens,
    joined_after_body,
    latest_year,
    make_mention,
    sentence_of,
)
from kg.extract.tables import table_rows
from kg.gazetteer import Division, Gazetteer, load_gazetteer, without_ethnic
from kg.model import NormalizedReport, Sentence
from kg.registers import province_of_short


@lru_cache(maxsize=1)
def _region_automaton() -> tuple[object, list[str]]:
    """Aho-Corasick automaton (leftmost-longest) over every province, city, county and township name, and the names."""
    import ahocorasick_rs

    g = load_gazetteer()
    names = [name for name in g.names(("province", "city", "county", "township"))
             if len(name) >= 2 and name not in GENERIC_PLACES]
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), names


def _region_matches(text: str) -> list[tuple[int, int, str]]:
    """Longest, non-overlapping gazetteer names in the text, leftmost first.

    >>> _region_matches("遵义市汇川区和平镇")
    [(0, 3, '遵义市'), (3, 6, '汇川区'), (6, 9, '和平镇')]
    """
    auto, names = _region_automaton()
    return [(start, end, names[i]) for i, start, end in auto.find_matches_as_indexes(text, overlapping=False)]


def _accepted_matches(text: str, g: Gazetteer, tokens: Tokens) -> list[tuple[int, int, str]]:
    """Gazetteer names that count as places; where the longest name at a position does not count, a name starting
    inside it may (从江苏省: not the county 从江, but 江苏省).

    >>> text = "从江苏省无锡市引进项目"
    >>> [m[2] for m in _accepted_matches(text, load_gazetteer(), Tokens(text))]
    ['江苏省', '无锡市']
    """
    found = _region_matches(text)
    accepted = [m for m in found if _region_ok(text, *m, g, tokens)]
    rejected = [m for m in found if m not in accepted]
    if not rejected:
        return accepted
    masked = list(text)
    for start, _, _ in rejected:
        masked[start] = "\0"  # (the rejected name's first character, so the names inside it are found)
    taken = [(s, e) for s, e, _ in accepted]
    more = [m for m in _region_matches("".join(masked))
            if not any(s < m[1] and m[0] < e for s, e in taken) and _region_ok(text, *m, g, tokens)]
    return sorted(accepted + more)


def _without_twins(candidates: list[Division]) -> list[Division]:
    """A municipality is one place: its city-level twin (上海市 under 上海市) gives way to the province."""
    keys = {d.key for d in candidates}
    return [d for d in candidates if not (d.level == "city" and d.parent in keys and d.code and d.parent.startswith(d.code))]


def _choose_division(candidates: list[Division], context: set[str], g: Gazetteer) -> Division | None:
    """Pick the candidate whose ancestors or descendants the report also names."""
    candidates = _without_twins(candidates)
    keys = {d.key for d in candidates}
    # One short name for a place and for a unit inside it (安阳: 安阳市 and its 安阳县): the place.
    candidates = [d for d in candidates if d.parent not in keys]
    if not candidates:
        return None
    if len(candidates) == 1 and candidates[0].level != "township":
        return candidates[0]
    # A town needs support even when its name is unique: 文明乡风 names no town in Guangxi.
    scored = []
    for d in candidates:
        anc = {a.key for a in g.ancestors(d)}
        score = 2 * len(anc & context) + sum(1 for k in context if k.startswith(d.key + "-"))
        scored.append((score, LEVEL_RANK[d.level] * -1, d))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    if scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][2]


# A level character that begins a Party or government body (县委, 市政府), not a common word.
_BODY_WORD = re.compile(r"^.(?:委|政府|人民|财政|党|人大|政协)")
# A village written next, in a list (…村、 / …村和): what a town's 镇 may run into (X镇长Y村、).
_VILLAGE_IN_LIST = re.compile(rf"[{CJK}]{{1,4}}?村(?:[、,，;；和及与“”\"(（]|$)")
# A count or a scope, not a name (三个村, 各村, 全乡).
_COUNT_OR_SCOPE = re.compile(r"^(?:[\d一二三四五六七八九十两几多]+个|[各每全该本此其])")
# A town's name by its suffix, not running on into a village or town (X县新建镇, not X县城镇村).
# Common words that end like a town (集镇, 乡镇, 村镇): no town's name ends with them (a 某某城镇 may be one: 某城|镇).
_TOWN_WORDS = ("集镇", "乡镇", "村镇")
_TOWN_AFTER_COUNTY = re.compile(rf"([{CJK}]{{2,4}}?)(镇|乡|街道|苏木)(?![{CJK}]{{0,1}}(?:村|镇))")
# Township-level names that name a kind of place (工业园区, 开发区), not one place, unless written
# right after their county.
_NAMED_TOWN_SUFFIXES = ("镇", "乡", "街道", "苏木")


@lru_cache(maxsize=1)
def _bank_kind_words() -> tuple[str, ...]:
    """The kinds of bank a place's name goes before (农商银行, 农村信用合作联社, 村镇银行), from the register."""
    from kg.registers import bank_kinds

    return tuple(sorted({w for b in bank_kinds() for w in (b.core, *b.short) if w and len(w) >= 3}, key=len, reverse=True))


def _bank_of_place(text: str, end: int) -> bool:
    """The place's own bank or branch follows (始兴|农商银行, 某行X支行): a county's short form is then the county."""
    return text.startswith(_bank_kind_words(), end) or text.startswith(("支行", "分行"), end)


def _outlet_of_place(start: int, end: int, tokens: Tokens) -> bool:
    """The place begins a word that names its newspaper or station (湖北日报 is 湖北's paper)."""
    from kg.registers import media_suffixes

    word = tokens.word_at.get(start, "")
    rest = word[end - start :]
    return len(word) > end - start and len(rest) >= 2 and rest in media_suffixes()


# The rest of a document number's issuer abbreviation, then its year in brackets (新乡振【2021】32号, 渝财农〔2023〕).
_DOCUMENT_NUMBER_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}[〔【\[]\s*(?:19|20)\d\d\s*[〕】\]]")


def _inside_word_of_places(text: str, start: int, end: int, g: Gazetteer, tokens: Tokens) -> bool:
    """True when the jieba word around ``[start, end)`` is made of place names only, the span one of them (广西南宁: 广西
    and 南宁, read by jieba as one word).

    >>> text = "广西南宁邕宁联社"
    >>> _inside_word_of_places(text, 2, 4, load_gazetteer(), Tokens(text))
    True
    >>> text = "中共湖南省委印发通知"  # jieba's word for the province's Party committee
    >>> _inside_word_of_places(text, 2, 5, load_gazetteer(), Tokens(text))
    True
    """
    ws = start
    while ws > 0 and ws not in tokens.starts:
        ws -= 1
    word = tokens.word_at.get(ws, "")
    if len(word) < 4 or ws + len(word) < end:
        return False
    if word.startswith("中共") and word.endswith("委") and ws + len(word) - 1 >= end:
        word, ws = word[2:-1], ws + 2  # 中共四川省委, one word to jieba: the Party committee of the place it names
    starts = g.place_chain(word)
    return starts is not None and start - ws in starts


def _after_its_city(text: str, start: int, name: str, g: Gazetteer) -> bool:
    """True when the county short form ``name`` at ``start`` follows the name of the city it belongs to (宜昌夷陵,
    绥化兰西): the city narrows the short form to one county.

    >>> g = load_gazetteer()
    >>> _after_its_city("在宜昌夷陵,贷款注入项目", 3, "夷陵", g), _after_its_city("在武汉夷陵", 3, "夷陵", g)
    (True, False)
    """
    for d in g.by_name(name, villages=False):
        city = g.get(d.parent) if d.level == "county" else None
        if city is not None and any(text.endswith(n, 0, start) for n in g.names_of(city) if len(n) >= 2):
            return True
    return False


def _region_ok(text: str, start: int, end: int, name: str, g: Gazetteer, tokens: Tokens) -> bool:
    """A gazetteer name counts where it is a word of its own in the text."""
    if name in GENERIC_PLACES:
        return False
    # (广西南宁 read by jieba as one word: two places, each its own)
    if tokens.crosses(start) and not _inside_word_of_places(text, start, end, g, tokens):
        return False
    if joined_after_body(text, start + 1):
        return False  # 县委和县政府: 和 joins two bodies of one level (not 和县, a county of that name)
    if text.startswith("银行", end) and name[-1] not in "省市县区州旗":
        return False  # 九江银行上饶分行: a city bank's brand, no mention of the city
    if _DOCUMENT_NUMBER_AFTER.match(text, end):
        return False  # 新乡振【2021】32号: the issuer's abbreviation in a document number, no place
    # A full name (or the old name of a renamed one), not a two-character short form that ends like
    # one (红旗 of 红旗区, 陈旗 of 陈巴尔虎旗); longer ones are written as names (土左旗, 察右中旗).
    official = name[-1] in "省市县区州镇乡旗道木盟" and not (len(name) == 2 and all(
        d.short == name != d.name for d in g.by_name(name, villages=False)))
    suffix_word = tokens.word_at.get(end - 1)
    if official and name[-1] in "省市县区州镇乡旗" and suffix_word and len(suffix_word) > 1 \
            and not re.match(r"^.(?:委|政府|人民|财政|党|人大|政协)", suffix_word) \
            and not _VILLAGE_IN_LIST.match(text, end):
        # The level character starts another word (市场, 区域, 乡村), not a body (县委); but a town
        # whose 镇 jieba reads as 镇长 may still head a village in a list (X镇长Y村、).
        return False
    if not official or name[-1] not in "省市县区州镇乡旗道木":
        # A short form (遵义, 六盘水) must end where a word ends and not run on into a level character.
        if tokens.crosses(end) and not text[end : end + 1] in "农工商科文财金供" and not _outlet_of_place(start, end, tokens) \
                and not _inside_word_of_places(text, start, end, g, tokens):
            return False
        if any(text[end + k - 1 : end + k] == "村" and g.village_parents(text[start : end + k]) for k in (1, 2, 3)):
            return False  # 海南|庄村: the start of a village's name the gazetteer knows, not the province
        next_word = tokens.word_at.get(end, "")
        if text[end : end + 1] in ("省", "市", "县", "区", "镇", "乡", "村", "州", "旗") \
                and (len(next_word) < 2 or g.by_name(next_word, villages=False)
                     or _BODY_WORD.match(next_word)):
            return False  # 某某乡 is a town of that name; 某某乡村 (a word of its own) the place and 乡村
        # A county's short form is too often a word (和平, 永安): only before its bank (X农商银行) or right after its
        # own city (宜昌夷陵) is it the county.
        if not any(d.level in ("province", "city") for d in g.by_name(name, villages=False)) and not _bank_of_place(text, end) \
                and not _after_its_city(text, start, name, g):
            return False
        before = tokens.word_before(start)
        if before and len(before[1]) == 1 and (tokens.tag(before[1]) or "").startswith("nr"):
            return False  # a surname before it: a person's given name (李|大庆)
    return True


def find_regions(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens,
                 date: str | None = None) -> None:
    """Every administrative place the text names, at its level, named as it was on the report's ``date``.

    >>> from kg.segment import split_sentences
    >>> text = "2019年,水城县米箩镇发展猕猴桃。"
    >>> finds = Finds()
    >>> find_regions(text, split_sentences(text), finds, Tokens(text), date="2019-08-01")
    >>> sorted((r["name"], r["level"], r["parent"]) for r in finds.regions.values())
    [('水城县', 'county', '六盘水市'), ('米箩镇', 'township', '水城县')]
    """
    g = load_gazetteer()
    undated = not date
    if not date:
        date = latest_year(text)  # undated: the latest year the text speaks of stands for its date
    matches = _accepted_matches(text, g, tokens)
    # Unambiguous names first; they give the context that settles the others.
    context: set[str] = set()
    for _, _, name in matches:
        cands = _without_twins(g.by_name(name, villages=False))
        if len({d.key for d in cands}) == 1 and cands[0].level != "township":
            context.add(cands[0].key)
            context.update(a.key for a in g.ancestors(cands[0]))
    resolved: list[tuple[int, int, str, Division | None]] = []
    by_end: dict[int, Division] = {}
    keys_by_name = {name: {c.key for c in g.by_name(name, villages=False)} for _, _, name in matches}
    for start, end, name in matches:
        cands = g.by_name(name, villages=False)
        d = _choose_division(cands, context, g)
        if d is not None and d.level == "county" and name[-1] not in "县区旗市" and len(name) < 3 and not any(
                a.key in keys for other, keys in keys_by_name.items() if other != name for a in g.ancestors(d)):
            continue  # a county's short form (before its bank) needs its city or province named too
        if d is not None and d.short == name != d.name and name.endswith("区") and not any(
                d.parent in keys for other, keys in keys_by_name.items() if other != name):
            continue  # a zone's short form is a common noun (示范区, 高新区, 火炬开发区): the zone only where its city is named
        before = by_end.get(start)
        if before is not None and before.level == "township" and name.endswith(_NAMED_TOWN_SUFFIXES):
            continue  # a town right after a town (X镇小城镇建设) is a word of the sentence
        if before is not None and before.level not in ("county", "city"):
            before = None
        if not name.endswith(_NAMED_TOWN_SUFFIXES) and cands and all(c.level == "township" for c in cands) \
                and (before is None or not any(c.parent == before.key for c in cands)):
            continue  # 工业园区, 开发区: a zone of some county, named only after that county
        if before is not None and name.endswith(_NAMED_TOWN_SUFFIXES) and (d is None or d.parent != before.key):
            # Written right after its county (X县新建镇): that county's town, known or new.
            under = [c for c in cands if c.parent == before.key]
            d = under[0] if under else Division(f"{before.key}-{name}", name, "township", None, before.key)
        if d is not None:
            by_end[end] = d
        if d is None and cands and all(c.level == "township" for c in cands):
            first = tokens.word_at.get(start, "")
            if any(c.name == name for c in cands) and not tokens.crosses(end) \
                    and not (len(first) == 1 and tokens.tag(first) in ("p", "c")) \
                    and not (first == name and not (tokens.tag(name) or "ns").startswith("ns")):
                # (由农村|向|城镇, 和|村镇: a preposition or conjunction first; 小城镇: a common word, no town's name)
                resolved.append((start, end, name, None))  # a town of unknown county, by its full name
            continue
        if d is None:
            continue
        context.add(d.key)
        if d.level == "county" and name.endswith("县") and d.name[-1] in "市区" and name[:-1] == d.short \
                and name not in g.old_names(d):
            # 康定县, as the text wrote it before it became a city; a dated renaming goes by the report's date.
            d = Division(d.key, name, d.level, d.code, d.parent)
        elif d.level == "township" and name != d.name and without_ethnic(d.name) == name:
            # A town written without its people's names (高寨乡 of 高寨苗族布依族乡) is named as written.
            d = Division(d.key, name, d.level, d.code, d.parent)
        elif undated and name != d.name and name in g.old_names(d):
            # An undated text that writes a former name in full (彬县 of 彬州市) was written before the renaming,
            # whatever year it speaks of last.
            d = Division(d.key, name, d.level, d.code, d.parent)
        resolved.append((start, end, name, d))
    # Towns left unplaced belong to the county the report names most (the gazetteer misses some).
    counties = Counter(d.key for _, _, _, d in resolved if d is not None and d.level == "county")
    top = counties.most_common(1)
    home = g.get(top[0][0]) if top and top[0][1] * 3 >= 2 * sum(counties.values()) else None
    if home is not None:
        for i, (s0, e0, name, d0) in enumerate(resolved):
            if d0 is None and name.endswith(("镇", "乡", "街道", "苏木")):
                resolved[i] = (s0, e0, name, Division(f"{home.key}-{name}", name, "township", None, home.key))
    resolved.extend(_listed_short_forms(text, resolved, g, tokens))
    resolved.extend(_table_short_forms(text, resolved, g))
    resolved.extend(_regiments(text, resolved))
    resolved.extend(_unknown_counties_in_lists(text, resolved, g, tokens))
    resolved.extend(_unknown_towns_in_lists(text, resolved, g, tokens))
    resolved[:] = _lists_of_short_forms(text, resolved, g, tokens)
    # A town the gazetteer does not know, written right after its county (X县新建镇).
    taken = {s1 for s1, _, _, _ in resolved}
    for s0, e0, _, d0 in list(resolved):
        if d0 is None or d0.level not in ("county", "city"):
            continue
        m = _TOWN_AFTER_COUNTY.match(text, e0)
        if not m or e0 in taken or tokens.crosses(m.end()):
            continue
        name = m.group(0)
        if name in GENERIC_PLACES or _COUNT_OR_SCOPE.match(name) or re.search("[省市县区村镇乡]", m.group(1)) \
                or name[0] in "的之是为在和与及" or "的" in name or name.endswith(_TOWN_WORDS):
            continue  # 高新区村镇, 某县的产粮大镇, 某县特色的一镇一品, 某县重点集镇: words around places, not a town's name
        known = [d for d in g.by_name(name, villages=False) if d.parent == d0.key]
        taken.add(e0)
        resolved.append((e0, m.end(), name, known[0] if known else Division(f"{d0.key}-{name}", name, "township", None, d0.key)))
    resolved.extend(_towns_by_their_bodies(text, resolved, tokens, home, g))
    resolved.extend(_towns_of_another_kind(text, resolved, tokens, g))
    # A town whose county is unknown still holds the villages written after it (X镇Y村).
    resolved = [(s0, e0, name, Division(name, name, "township", None, None))
                if d0 is None and name.endswith(_NAMED_TOWN_SUFFIXES) else (s0, e0, name, d0)
                for s0, e0, name, d0 in resolved]
    starts = {s0 for s0, _, _, _ in resolved}
    for s0, e0, name, d0 in list(resolved):
        if d0 is not None and d0.level == "township":
            numbered = re.match(r"(\d{1,2})村(?![民委级集])", text[e0:])
            if numbered:  # X乡3村: a numbered village, named with its township
                resolved.append((s0, e0 + numbered.end(), name + numbered.group(0),
                                 Division(f"{d0.key}-{numbered.group(0)}", name + numbered.group(0), "village", None, d0.key)))
                continue
            _add_village_chain(text, e0 + (text[e0 : e0 + 1] == "的"), d0, resolved, g, tokens, starts)
        elif d0 is not None and d0.level == "county" and e0 not in starts:
            _add_village_chain(text, e0, d0, resolved, g, tokens, starts)  # X县Y村: the town left unsaid
    # Villages under a township or county the report names, written elsewhere (the gazetteer knows them).
    townships = {d.key for _, _, _, d in resolved if d is not None and d.level == "township"}
    counties = {d.key: d for _, _, _, d in resolved if d is not None and d.level == "county"}
    cities = {d.key for _, _, _, d in resolved if d is not None and d.level == "city"}
    if townships or counties or cities:
        covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
        named = {name: d for _, _, name, d in resolved if d is not None and d.level == "village"}
        county_towns = {t.key: c for c in counties for t in g.children(c)}  # town key -> its county's key
        for m in re.finditer(r"村|社区|嘎查", text):
            for length in range(4, 1, -1):  # the longest name: 扎叶巴村, not its tail 叶巴村
                start = m.start() - length
                if start < 0 or any(i in covered for i in range(start, m.end())) or tokens.crosses(start):
                    continue
                cand = text[start : m.end()]
                holders = g.village_parents(cand)
                ds = [named[cand]] if cand in named else \
                    [Division(f"{p}-{cand}", cand, "village", None, p) for p in holders if p in townships]
                if not ds and holders and not tokens.crosses(m.end()) and _village_name_ok(text, start, m.end(), tokens, True):
                    # In a county the report names: its town when only one holds that name, else the county.
                    in_county = [Division(f"{p}-{cand}", cand, "village", None, p) for p in holders
                                 if p in county_towns]
                    homes = {county_towns[d.parent] for d in in_county}
                    if len(in_county) == 1:
                        ds = in_county
                    elif len(homes) == 1:
                        home_county = counties[homes.pop()]
                        ds = [Division(f"{home_county.key}-{cand}", cand, "village", None, home_county.key)]
                    elif not in_county and cities:
                        # In a city the report names, where one of its towns only holds that name (沧州: 强家坟村).
                        in_city = [p for p in holders if _city_of(p, g) in cities]
                        if len(in_city) == 1:
                            ds = [Division(f"{in_city[0]}-{cand}", cand, "village", None, in_city[0])]
                if ds:
                    resolved.append((start, m.end(), cand, ds[0]))
                    covered.update(range(start, m.end()))
                    break
    resolved.extend(_villages_by_their_bodies(text, resolved, tokens, home))
    tokens.place_starts.update(start for start, _, _, _ in resolved)
    resolved = _without_menu_lines(text, resolved)
    # (某林区大某湖镇: a town read whole and, by a former name 某湖镇, from its last characters: the whole)
    towns = [(s0, e0) for s0, e0, name, _ in resolved if name.endswith(_NAMED_TOWN_SUFFIXES + ("村",))]
    resolved = [r for r in resolved if not any(s0 < r[0] and e0 == r[1] for s0, e0 in towns)]
    local = {d.key: d for _, _, _, d in resolved if d is not None}
    for start, end, name, d in resolved:
        sent = sentence_of(sentences, start)
        mention = make_mention(sent, start, end, text)
        if d is None:
            entry = finds.regions.setdefault(name, {"name": name, "level": _level_by_suffix(name), "code": None,
                                                    "parent": None, "parent_code": None, "aliases": set(),
                                                    "mentions": []})
        else:
            parent = _enclosing(d, g, local)
            entry = finds.regions.setdefault(d.key, {
                "name": g.name_on(d, date), "level": d.level, "code": d.code,
                "parent": g.name_on(parent, date) if parent else None,
                "parent_code": parent.node_key if parent else None,
                "aliases": set(), "mentions": [],
            })
        entry["aliases"].add(name)
        entry["mentions"].append(mention)
    _merge_one_place_read_twice(finds, g)


def _merge_one_place_read_twice(finds: Finds, g: Gazetteer) -> None:
    """One place read twice under two parents, one inside the other (甲镇 under 某市 and under 某市's 某县), or under
    none and under one, is one place: the entry whose parent is the most precise keeps the other's mentions."""
    def parent_of(key: str) -> str | None:
        d = g.get(key)
        return d.parent if d is not None else (key.rsplit("-", 1)[0] if "-" in key else None)

    def chain(key: str | None) -> list[str]:
        out = []
        while key:
            out.append(key)
            d = g.get(key)
            key = d.parent if d is not None else (key.rsplit("-", 1)[0] if "-" in key else None)
        return out

    groups: dict[tuple[str, str], list[str]] = {}
    for key, r in finds.regions.items():
        groups.setdefault((r["name"], r["level"]), []).append(key)
    for keys in groups.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: len(chain(parent_of(k))), reverse=True)  # the most precise parent first
        keep = keys[0]
        for other in keys[1:]:
            if parent_of(other) is None or parent_of(other) in chain(parent_of(keep)):
                entry = finds.regions.pop(other)
                finds.regions[keep]["aliases"] |= entry["aliases"]
                finds.regions[keep]["mentions"] = sorted([*finds.regions[keep]["mentions"], *entry["mentions"]],
                                                         key=lambda m: m.start)


def _without_menu_lines(text: str, resolved: list) -> list:
    """Drop the places of a web page's menu left in the text (首页|安徽|北京|上海|…): a line of five or more places
    between bars, with no figures (a table's row has them), names the site's channels, not places of the report.

    >>> text = "首页|安徽|北京|上海|重庆|福建\\n安徽下达资金。"
    >>> places = [(text.index(n), text.index(n) + 2, n, None) for n in ("北京", "上海", "重庆", "福建")]
    >>> places += [(3, 5, "安徽", None), (text.rindex("安徽"), text.rindex("安徽") + 2, "安徽", None)]
    >>> [r[0] for r in _without_menu_lines(text, places)] == [text.rindex("安徽")]
    True
    """
    if "|" not in text:
        return resolved
    menus = []
    for m in _MENU_LINE.finditer(text):
        inside = [r for r in resolved if m.start() <= r[0] < m.end()]
        if len(inside) >= 5:
            menus.append((m.start(), m.end()))
    return [r for r in resolved if not any(a <= r[0] < b for a, b in menus)]


# A line of short items between bars with no figures (a site's menu, not a table's row).
_MENU_LINE = re.compile(r"^[^|\n\d]{0,12}(?:\|[^|\n\d]{0,12}){5,}$", re.M)


# A list of places closed by their kind and count: …、…等6个县, …、…两区, …和…等县, …、…等11个贫困县,
# …、…三个乡镇, …、…等地, …、…等受灾严重县区 (words that describe them may stand between 等 and the kind), and
# short forms that share the last one's kind (临桂、灵川、阳朔县).
_COUNT = r"[\d一二三四五六七八九十两]+"
_LIST_HEAD = re.compile(rf"(?:等(?:{_COUNT}个)?[{CJK}]{{0,6}}?|{_COUNT}个[{CJK}]{{0,6}}|{_COUNT}"
                        rf"|(?<=、[{CJK}]{{2}})|(?<=、[{CJK}]{{3}}))"
                        r"(乡镇|街道|县市区|县区|县域|地区|县|区|市|旗|州|盟|镇|乡|地)(?![级城委])")
# A counted list closed by a level with 级 (甲、乙等12个县级…): the items are places of that level too.
_COUNTED_LEVEL_HEAD = re.compile(rf"等{_COUNT}个(县|区|市)(?=级)")
# A counted list of villages by their bare names (田家铺、王家坟等10个“…示范村”): villages of the counties the report names.
_COUNTED_VILLAGES = re.compile(rf"等{_COUNT}个[“\"]?[{CJK}]{{0,10}}?(村)(?!落)")  # (古村落: old settlements, not villages)
_LIST_LEVELS = {"县": ("county",), "区": ("county",), "旗": ("county",), "市": ("city", "county"),
                "州": ("city",), "盟": ("city",), "县市区": ("city", "county"), "县区": ("county",),
                "县域": ("county",), "地区": ("city", "county"), "地": ("city", "county"),
                "乡镇": ("township",), "街道": ("township",), "镇": ("township",), "乡": ("township",),
                "村": ("village",)}


def _listed_short_forms(text: str, resolved: list, g: Gazetteer, tokens: Tokens) -> list:
    """Short forms in a list that says what they are (道真、黔西等6个县): counties of one province, or
    towns of a county the report names (三河、西安等6个乡镇). A city's name in a list of counties is the
    county it was: its city reading is taken out of ``resolved``.

    Alone a county's short form is too often a word (和平, 东方, 永安); a list closed by its kind
    and count settles it, and its members share a province, which picks among same-named ones.
    """
    heads = list(_LIST_HEAD.finditer(text)) + list(_COUNTED_LEVEL_HEAD.finditer(text)) + list(_COUNTED_VILLAGES.finditer(text))
    if not heads:
        return []
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    towns: dict[str, list[Division]] = {}
    counties = {d.key for _, _, _, d in resolved if d is not None and d.level == "county"}
    for county in counties:
        for town in g.children(county):
            base = without_ethnic(town.name)
            base = base[:-2] if base.endswith("街道") else base[:-1] if base.endswith(("镇", "乡")) else ""
            if len(base) >= 2:
                towns.setdefault(base, []).append(town)
    found: list = []
    for head in heads:
        levels = _LIST_LEVELS[head.group(1)]
        pos, items = head.start(), []
        while True:
            m = re.search(rf"([{CJK}]{{2,6}})$", text[max(0, pos - 6) : pos])
            if not m:
                break
            span = (pos - len(m.group(1)), pos)
            items.append(span)
            sep = text[span[0] - 1 : span[0]] if span[0] > 0 else ""
            if sep not in ("、", "和", "及", "与"):
                break
            pos = span[0] - 1
        if len(items) < 2:
            continue
        options: list[tuple[int, int, str, list[Division]]] = []
        former: list[tuple[int, int, str]] = []  # a city's name where the list says counties: the old county
        for s0, e0 in items:
            if head.group(1) == "县" and e0 - s0 <= 3 and any(
                    d.level == "city" and d.short == text[s0:e0] for d in g.by_name(text[s0:e0], villages=False)) \
                    and not any(d.level == "county" for d in g.by_name(text[s0:e0], villages=False)):
                former.append((s0, e0, text[s0:e0]))
                continue
            # The first item may carry words of the sentence before it (的道真): its longest place suffix.
            for start in range(s0, e0 - 1):
                name = text[start:e0]
                if levels == ("township",):  # towns by their bare names, in the counties the report names
                    cands = towns.get(name, [])
                elif levels == ("village",):  # villages by their bare names, under the towns of those counties
                    cands = [Division(f"{p}-{name}村", name + "村", "village", None, p)
                             for p in g.village_parents(name + "村") if p.split("-")[0] in counties]
                else:
                    cands = [d for d in g.by_name(name, villages=False) if d.level in levels
                             and (d.short == name or d.name == name or without_ethnic(d.name) == name)]
                if cands and not tokens.crosses(start):
                    options.append((start, e0, name, cands))
                    break
        provinces = Counter(p for *_, cands in options for p in {_province_of(d, g) for d in cands})
        if not provinces:
            continue
        province, members = provinces.most_common(1)[0]
        if members < 2 or members * 2 < len(items):
            continue
        for start, end, name, cands in options:
            mine = [d for d in cands if _province_of(d, g) == province]
            if len(mine) == 1 and not any(i in covered for i in range(start, end)):
                found.append((start, end, name, mine[0]))
                covered.update(range(start, end))
        for start, end, name in former:  # 西吉、海原、固原三县: the county 固原 was, not the city it is
            resolved[:] = [r for r in resolved if (r[0], r[1]) != (start, end)]
            found.append((start, end, name, Division(name + "县", name + "县", "county", None, None)))
            covered.update(range(start, end))
    return found


# A numbered regiment of the Xinjiang Production and Construction Corps (七团, 四十一团): a township-level place of its
# division, in a report that names the corps or a division (兵团, 第一师); not a group (团结, 团队, 团体, 团委 …).
_REGIMENT = re.compile(r"(?<![第一二三四五六七八九十百])([一二三四五六七八九十百]{1,4}团)(?![结队体员委长购建组伙场部])")
_CORPS = re.compile(r"兵团|第[一二三四五六七八九十]{1,3}师")


def _regiments(text: str, resolved: list) -> list:
    """The corps' regiments a report names (某市二十二团、三十团), as township-level places.

    >>> [name for _, _, name, _ in _regiments("兵团第二师某市二十二团、三十团发展红枣。", [])]
    ['二十二团', '三十团']
    """
    if not _CORPS.search(text):
        return []
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    found = []
    for m in _REGIMENT.finditer(text):
        if not any(i in covered for i in range(m.start(1), m.end(1))):
            name = m.group(1)
            found.append((m.start(1), m.end(1), name, Division(f"corps-{name}", name, "township", None, None)))
    return found


def _table_short_forms(text: str, resolved: list, g: Gazetteer) -> list:
    """The receivers of an allocation table written by their short forms (甲区 as 甲 | 2000.50 | 40.00): counties of a
    province or city the report names, one each; a table's rows say what they are, as a list closed by its kind does."""
    named = {d.key for _, _, _, d in resolved if d is not None and d.level in ("province", "city")}
    if not named:
        return []
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    found: list = []
    for row in table_rows(text):
        label = row.recipient
        if not label or len(label) > 4:
            continue
        start = text.find(label, row.start, row.end)
        if start < 0 or any(i in covered for i in range(start, start + len(label))):
            continue
        mine = [d for d in g.by_name(label, villages=False) if d.level == "county" and d.short == label
                and any(a.key in named for a in g.ancestors(d))]
        if len(mine) == 1:
            found.append((start, start + len(label), label, mine[0]))
            covered.update(range(start, start + len(label)))
    return found


def _unknown_counties_in_lists(text: str, resolved: list, g: Gazetteer, tokens: Tokens) -> list:
    """A county name the gazetteer lacks, listed among counties it has (甲县、乙县、丙县): a county.

    Usually a misspelling: a county of the same province one character away is taken (its
    written form stays an alias), else the name as written.
    """
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    found: list = []
    for s0, e0, _, d0 in list(resolved):
        if d0 is None or d0.level != "county":
            continue
        for start, end in _list_neighbours(text, s0, e0, "[县旗]", covered, tokens):
            name = text[start:end]
            if g.by_name(name, villages=False):
                continue
            province = _province_of(d0, g)
            near = [d for d in _counties_of(province, g) if len(d.name) == len(name) and d.name[-1] == name[-1]
                    and sum(a != b for a, b in zip(d.name, name)) == 1]
            if len(near) > 1:  # the neighbour's city decides between two
                near = [d for d in near if d.parent == d0.parent]
            d = near[0] if len(near) == 1 else Division(name, name, "county", None, None)
            found.append((start, end, name, d))
            covered.update(range(start, end))
    return found


# The sum an item of an allocation list carries before the next item (甲镇225万元,乙乡118万元).
_ITEM_SUM = r"[\d.]+[万亿]?元"


def _list_neighbours(text: str, s0: int, e0: int, kind: str, covered: set[int], tokens: Tokens) -> list[tuple[int, int]]:
    """The spans of the items of a 、-list right before and after the place at ``s0:e0`` that end in ``kind`` (县, 镇 …),
    none already read, none a common word, none cutting a word."""
    spans = []
    after = re.match(rf"(?:、|{_ITEM_SUM}[,，、])([{CJK}]{{1,4}}?{kind})(?=[、,，。;；等和及与\d]|$)", text[e0:])
    if after:
        spans.append((e0 + after.start(1), e0 + after.end(1)))
    before = re.search(rf"(?:^|[^{CJK}]|[、,，:：(（]|其中)((?!其中)[{CJK}]{{1,4}}{kind})(?:、|{_ITEM_SUM}[,，、])$",
                       text[max(0, s0 - 20) : s0])
    if before:
        spans.append((max(0, s0 - 20) + before.start(1), max(0, s0 - 20) + before.end(1)))
    return [(start, end) for start, end in spans
            if not any(i in covered for i in range(start, end)) and text[start:end] not in GENERIC_PLACES
            and not _COUNT_OR_SCOPE.match(text[start:end]) and not tokens.crosses(start) and not tokens.crosses(end)]


def _unknown_towns_in_lists(text: str, resolved: list, g: Gazetteer, tokens: Tokens) -> list:
    """A town the gazetteer lacks (new or renamed), listed beside a town it has (甲镇、乙镇、丙乡): a town of the same
    county.

    >>> text = "广汉市向阳镇、金沙湾镇、三水镇3个乡镇"
    >>> from kg.extract.common import Tokens
    >>> g = load_gazetteer()
    >>> known = [(text.index(n), text.index(n) + 3, n, next(d for d in g.by_name(n) if d.parent == "510681"))
    ...          for n in ("向阳镇", "三水镇")]
    >>> [name for _, _, name, _ in _unknown_towns_in_lists(text, known, g, Tokens(text))]
    ['金沙湾镇']

    An allocation list's items carry their sums (其中甲镇20万元,乙乡30万元,丙镇50万元):

    >>> text = "广汉市资金(其中金沙湾镇20万元,玉龙湾乡30万元,向阳镇50万元)"
    >>> known = [(text.index("向阳镇"), text.index("向阳镇") + 3, "向阳镇",
    ...           next(d for d in g.by_name("向阳镇") if d.parent == "510681"))]
    >>> [name for _, _, name, _ in _unknown_towns_in_lists(text, known, g, Tokens(text))]
    ['玉龙湾乡', '金沙湾镇']
    """
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    found: list = []
    towns = [(s0, e0, d0) for s0, e0, _, d0 in resolved if d0 is not None and d0.level == "township" and d0.parent]
    for s0, e0, d0 in towns:  # (a town found beside a known one has neighbours of its own: towns grows as it is read)
        for start, end in _list_neighbours(text, s0, e0, "(?:镇|乡|街道)", covered, tokens):
            name = text[start:end]
            known = [d for d in g.by_name(name, villages=False) if d.parent == d0.parent]
            town = known[0] if known else Division(f"{d0.parent}-{name}", name, "township", None, d0.parent)
            found.append((start, end, name, town))
            towns.append((start, end, town))
            covered.update(range(start, end))
    return found


# A list of three or more bare names (甲、乙、丙 or 甲与乙、丙与丁): each item up to its separator.
# A run of characters and list marks that may hold such a list (looked at only with two marks or more: speed).
_LIST_CHUNK = re.compile(rf"[{CJK}、]{{8,}}")
_BARE_LIST = re.compile(rf"[{CJK}]{{2,12}}(?:[、与][{CJK}]{{2,12}}){{2,}}")


@lru_cache(maxsize=4096)
def _short_forms_under(key: str) -> dict[str, Division]:
    """The short forms of the towns (without 镇, 乡, 街道) or counties (their usual short name) right under a place."""
    forms: dict[str, Division] = {}
    for child in load_gazetteer().children(key):
        if child.level == "township":
            base = without_ethnic(child.name)
            base = base[:-2] if base.endswith("街道") else base[:-1] if base.endswith(("镇", "乡")) else ""
        elif child.level == "county":
            base = child.short or ""
        else:
            continue
        if len(base) >= 2 and base not in GENERIC_PLACES:
            forms[base] = child
    return forms


def _lists_of_short_forms(text: str, resolved: list, g: Gazetteer, tokens: Tokens) -> list:
    """Lists with no head word whose items are mostly short forms of the towns of a county the report names, or of the
    counties of a city it names (甲与乙、丙与丁 of one city's districts; 甲、乙、丙 of one county's towns): each such
    item is that place, in place of what its characters read alone (a province's short form that begins a town's).

    >>> g = load_gazetteer()
    >>> text = "天津市蓟州区打造四个片区(邦均、别山、官庄、桑梓四个示范片)。"
    >>> from kg.extract.common import Tokens
    >>> county = g.by_name("蓟州区")[0]
    >>> found = _lists_of_short_forms(text, [(3, 6, "蓟州区", county)], g, Tokens(text))
    >>> [d.name for _, _, _, d in found[1:]]
    ['邦均镇', '别山镇', '官庄镇', '桑梓镇']
    """
    lists = [(c.start() + m.start(), m.group(0)) for c in _LIST_CHUNK.finditer(text)
             if c.group(0).count("、") + c.group(0).count("与") >= 2 for m in _BARE_LIST.finditer(c.group(0))]
    if not lists:
        return resolved
    places = {d.key: d for _, _, _, d in resolved if d is not None}
    parents = [d for d in places.values() if d.level in ("county", "city")]
    parents += [c for d in places.values() if d.level == "province" for c in g.children(d.key) if c.name == d.name]
    short: dict[str, list[tuple[str, Division]]] = {}  # short form -> (parent key, its town or county)
    for parent in parents:
        for form, d in _short_forms_under(parent.key).items():
            short.setdefault(form, []).append((parent.key, d))
    if not short:
        return resolved
    added: list = []
    for list_start, written in lists:
        items, pos = [], list_start
        for part in re.split("[、与]", written):
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        hits: dict[str, list] = {}  # parent key -> the items that are its places
        for i, (s0, e0) in enumerate(items):
            # The first item may carry the words before it, the last the words after it.
            spans = [(s, e0) for s in range(s0, e0 - 1)] if i == 0 else \
                [(s0, e) for e in range(e0, s0 + 1, -1)] if i == len(items) - 1 else [(s0, e0)]
            first: dict[str, tuple[int, int, Division]] = {}  # parent key -> the item's first span that is its place
            for s, e in spans:
                for key, d in short.get(text[s:e], ()):
                    first.setdefault(key, (s, e, d))
            for key, hit in first.items():
                hits.setdefault(key, []).append(hit)
        for found in hits.values():
            if len(found) >= 3 and len(found) * 2 >= len(items):
                added.extend((s, e, text[s:e], d) for s, e, d in found)
    if not added:
        return resolved
    spans = [(s, e) for s, e, _, _ in added]
    kept = [r for r in resolved if not any(s < r[1] and r[0] < e for s, e in spans)]
    return kept + [a for a in added if not any(a[0] == r[0] and a[1] == r[1] for r in kept)]


def _counties_of(province_key: str, g: Gazetteer) -> list[Division]:
    return [c for city in g.children(province_key) for c in g.children(city.key) if c.level == "county"] + \
        [c for c in g.children(province_key) if c.level == "county"]


def _province_of(d: Division, g: Gazetteer) -> str:
    chain = [d, *g.ancestors(d)]
    return chain[-1].key


# What only a village has right after its name: its Party branch, committee, resident cadres, collective.
# 委会 and 民委员会 read the village's own 村 into its committee (X村委会, X村民委员会).
_VILLAGE_BODY = re.compile(r"(?:党支部|党总支|党委|支部书记|支书|村委会|委会|村民委员会|民委员会|居委会|居民委员会|两委|驻村|"
                           r"第一书记|股份经济合作社|经济合作社)")


# What only a town has right after its name: its Party committee, government, office.
_TOWN_BODY = re.compile(r"(?:党委|人民政府|政府|党工委|办事处|纪委)")


def _names_before_bodies(text: str, suffix: str, body: re.Pattern[str], lengths: tuple[int, ...], tokens: Tokens,
                         covered: set[int]) -> Iterator[tuple[int, int, int, str]]:
    """Candidate place names (2-3 characters, then ``suffix``) that a body follows: X镇党委, X村党支部.

    Yields (start, where the suffix starts, end, name). The name must begin after a function word
    or punctuation and hold only CJK and no word of the sentence (解决了村, 第二批村); a caller that
    accepts a candidate adds its span to ``covered``, which ends the search at that suffix.
    """
    for m in re.finditer(suffix, text):
        if not body.match(text, m.end()):
            continue
        for length in lengths:
            start = m.start() - length
            if start < 0 or any(i in covered for i in range(start, m.end())) or tokens.crosses(start):
                continue
            before = tokens.word_before(start)
            if before and re.match(rf"[{CJK}]", before[1]) and (tokens.tag(before[1]) or "n")[:1] not in "pvcudr":
                continue  # the name may begin further left: only after a function word or punctuation
            cand = text[start : m.end()]
            if not re.fullmatch(rf"[{CJK}]+", cand) \
                    or any((tokens.tag(w) or "n")[:1] in "vupcdmqrft" for w in tokens.words_in(start, m.start())):
                continue
            yield start, m.start(), m.end(), cand
            if start in covered:
                break  # taken: the shorter or longer reading of the same name is not


def _towns_by_their_bodies(text: str, resolved: list, tokens: Tokens, home: Division | None, g: Gazetteer) -> list:
    """Towns the gazetteer misses, named alone and known by their bodies (X镇党委, X乡人民政府, X街道办事处)."""
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    found: list = []
    for start, suffix_start, end, cand in _names_before_bodies(text, r"镇|乡|街道", _TOWN_BODY, (2, 3), tokens, covered):
        if cand in GENERIC_PLACES or _COUNT_OR_SCOPE.match(cand) or re.search("[省市县区村镇乡]", text[start:suffix_start]):
            continue
        known = [d for d in g.by_name(cand, villages=False) if d.level == "township" and home is not None and d.parent == home.key]
        if not known and not g.by_name(cand, villages=False) and (tokens.tag(text[start:suffix_start]) or "ns")[:2] not in ("ns", "nr", "nz"):
            continue  # 指导|镇政府: a common word before the town's body, and no town of that name anywhere
        d = known[0] if known else Division(f"{home.key}-{cand}", cand, "township", None, home.key) if home else None
        found.append((start, end, cand, d))
        covered.update(range(start, end))
    return found


def _towns_of_another_kind(text: str, resolved: list, tokens: Tokens, g: Gazetteer) -> list:
    """A town of a county the report names, written as 乡 where the gazetteer has 镇 or the other way
    round, or without its people (X乡 for X族乡): towns change kind, texts keep the old one."""
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    forms: dict[str, Division] = {}
    for county in {d.key for _, _, _, d in resolved if d is not None and d.level == "county"}:
        for town in g.children(county):
            base = without_ethnic(town.name)
            if base.endswith(("镇", "乡")) and len(base) >= 3:
                for form in (base[:-1] + "镇", base[:-1] + "乡"):
                    if form != town.name and not g.by_name(form, villages=False):
                        forms.setdefault(form, town)
    found: list = []
    for form, town in forms.items():
        if form not in text:
            continue
        for m in re.finditer(re.escape(form), text):
            if any(i in covered for i in range(m.start(), m.end())) or tokens.crosses(m.start()):
                continue
            suffix_word = tokens.word_at.get(m.end() - 1, "")
            if len(suffix_word) > 1 and not _BODY_WORD.match(suffix_word) and not _VILLAGE_IN_LIST.match(text, m.end()):
                continue  # 老黑山|乡村振兴: the 乡 of 乡村, no town
            # The town as the text names it (the gold and the reader know it so), in the gazetteer's place.
            found.append((m.start(), m.end(), form, Division(town.key, form, "township", town.code, town.parent)))
            covered.update(range(m.start(), m.end()))
    return found


def _villages_by_their_bodies(text: str, resolved: list, tokens: Tokens, home: Division | None) -> list:
    """Villages named alone, known by the bodies that follow them (X村党支部, X村村委会, X村驻村第一书记).

    A name the gazetteer has somewhere is not enough alone: 文明村, 小康村 and 明星村 are villages
    somewhere and honours everywhere. The longest name first: 石门坎村, not 门坎村.
    """
    covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
    found: list = []
    for start, _, end, cand in _names_before_bodies(text, r"村|社区|嘎查", _VILLAGE_BODY, (3, 2), tokens, covered):
        if not _village_name_ok(text, start, end, tokens, False):
            continue
        d = Division(f"{home.key}-{cand}", cand, "village", None, home.key) if home is not None else None
        found.append((start, end, cand, d))
        covered.update(range(start, end))
    return found


def _city_of(key: str, g: Gazetteer) -> str | None:
    """The key of the city that holds the division ``key`` (a town's, through its county)."""
    d = g.get(key)
    while d is not None and d.level != "city":
        d = g.get(d.parent)
    return d.key if d is not None else None


def _enclosing(d: Division, g: Gazetteer, local: dict[str, Division]) -> Division | None:
    """The division around ``d``, past the gazetteer's groupings that name no place (省直辖行政区划)."""
    parent = local.get(d.parent or "") or g.get(d.parent)  # as the report names it (三汇乡 for 三汇镇)
    while parent is not None and parent.name.endswith("行政区划"):
        parent = g.get(parent.parent)
    return parent


_VILLAGE_RE = re.compile(rf"([{CJK}]{{2,4}}?)(村|社区|嘎查)")


def _village_name_ok(text: str, start: int, end: int, tokens: Tokens, known: bool, after_town: bool = False) -> bool:
    """A village's name by its suffix: no count or scope, no common word, no words of the sentence.

    Right after its town a name is expected, so jieba's common-noun tag (胜利村 n) does not count there.
    """
    cand = text[start:end]
    if cand in GENERIC_PLACES or _COUNT_OR_SCOPE.match(cand) or cand[0] in "的和与及在是为对向从把被将了等":
        return False  # 三个村, 各村, 的X村: not a name
    if cand.endswith("村") and text.startswith(("集体", "级"), end):
        return False  # 发展壮大|村集体经济, 加强|村级组织: the 村 begins 村集体/村级, it ends no name
    if known:
        return True
    if re.search("[省市县区镇乡]", cand[:-1]) or tokens.crosses(end):
        return False
    last = tokens.word_before(end, start)
    suffix = 1 if cand.endswith("村") else 2
    if last and start < last[0] < end - suffix and (last[1] in GENERIC_PLACES or (len(last[1]) > 2 and tokens.tag(last[1]) == "n")):
        return False  # 共有|行政村: the sentence runs into a common word, no village's name
    tag = tokens.tag(cand) or ""  # jieba tags many village names nr or ns; 示范村 (n) is a common word
    return after_town or tag.startswith(("ns", "nr")) or tag[:1] not in ("n", "v", "a", "d")


# A village's long transliterated name (five to eight characters, 某某某某某村, 某某某某嘎查).
_LONG_VILLAGE = re.compile(rf"[{CJK}]{{5,8}}?(?:村|嘎查)")


def _transliterated_village(text: str, pos: int, tokens: Tokens) -> int | None:
    """The end of a village's long transliterated name right after its town (某乡|某某某某某村): jieba reads it as
    single characters and names, never as the sentence's words (某乡|开展美丽乡村建设示范村 is no village).

    >>> text = "托胡拉乡库木巴什喀拉村幸福桥"  # (an invented village's name)
    >>> _transliterated_village(text, 4, Tokens(text)), _transliterated_village("某乡开展美丽乡村建设村", 2, Tokens("某乡开展美丽乡村建设村"))
    (11, None)
    """
    m = _LONG_VILLAGE.match(text, pos)
    if not m or tokens.crosses(pos) or tokens.crosses(m.end()) or text[pos] in "的和与及在是为对向从把被将了等" \
            or re.search("[省市县区镇乡村和与及]", m.group(0)[:-1]):
        return None  # (甲营和乙沟村, 甲镇乙屯村: two places, each read on its own)
    words = tokens.words_in(pos, m.end() - (2 if m.group(0).endswith("嘎查") else 1))
    singles = sum(len(w) == 1 for w in words)
    if singles < 3 or any(len(w) >= 2 and not (tokens.tag(w) or "x").startswith(("nr", "ns", "nz", "x")) for w in words):
        return None
    return m.end()


def _add_village_chain(text: str, pos: int, holder: Division, resolved: list, g: Gazetteer, tokens: Tokens,
                       starts: set[int]) -> None:
    """Villages written right after their township or county (X镇红旗村, X县东风村、光明村和新华村)."""

    towns = {holder.key} | ({t.key for t in g.children(holder.key)} if holder.level == "county" else set())

    def known_here(cand: str) -> list[Division]:
        return [Division(f"{p}-{cand}", cand, "village", None, p) for p in g.village_parents(cand) if p in towns]

    while True:
        one = re.match(rf"[{CJK}](?:村|社区|嘎查)", text[pos:])
        if one and known_here(one.group(0)) and not tokens.crosses(pos + one.end()):
            end = pos + one.end()  # 王村: a one-character name, where the gazetteer has it
        else:
            m = _VILLAGE_RE.match(text, pos)
            long = _transliterated_village(text, pos, tokens) if holder.level == "township" and not m else None
            if not m and not long:
                return
            end = m.end() if m else long
        cand = text[pos:end]
        known = known_here(cand)
        if not _village_name_ok(text, pos, end, tokens, bool(known), after_town=holder.level == "township") \
                and end != long:
            return
        # Several villages of that name in the county: its town is unsaid, the county holds it.
        d = known[0] if len(known) == 1 else Division(f"{holder.key}-{cand}", cand, "village", None, holder.key)
        if pos in starts:
            return
        resolved.append((pos, end, cand, d))
        starts.add(pos)
        pos = end
        if text[pos : pos + 1] not in ("、", "和", "及", "与"):
            return
        pos += 1


def _level_by_suffix(name: str) -> str:
    if name.endswith(("村", "社区", "嘎查")):
        return "village"
    if name.endswith(("镇", "乡", "街道", "苏木")):
        return "township"
    if name.endswith(("县", "区", "旗")):
        return "county"
    if name.endswith(("市", "州", "盟")):
        return "city"
    return "province"


# A place that gives to "us" (…向我省投入, 对我市帮扶): the writer's place is another one.
_GIVES_TO_US = re.compile(r"(?:共|累计|已|全年|今年|先后)?(?:向|为|对|给|帮扶|支援|援助)我(?:省|区|市|州|县)")
# A cooperation pair named by two provinces' short names (苏陕协作, 闽宁对口帮扶), the giver first.
_PAIR = re.compile(r"([\u4e00-\u9fff])([\u4e00-\u9fff])(?:东西部)?(?:对口)?(?:扶贫)?(?:协作|帮扶|合作)")


def find_jurisdiction(finds: Finds, report: NormalizedReport) -> str | None:
    """The place the report is about: the most named city or county, title and publisher weigh more."""
    head = " ".join(x for x in (report.raw.title, report.raw.publisher) if x)
    text = report.text
    scores: Counter[str] = Counter()
    partners: set[str] = set()  # places that give to the writer's own place (江苏省共向我省投入…)
    for key, r in finds.regions.items():
        if r["level"] not in ("province", "city", "county"):
            continue
        if any(_GIVES_TO_US.match(text, m.end) for m in r["mentions"]):
            partners.add(r["name"])
            continue
        weight = {"province": 0.5, "city": 1.0, "county": 1.2}[r["level"]]
        scores[key] += weight * len(r["mentions"])
        if any(a in head for a in r["aliases"] | {r["name"]}):
            scores[key] += 3
        if r["mentions"] and r["mentions"][0].start < 200:
            scores[key] += 1
    # Towns and villages the report names speak for the county that holds them.
    g = load_gazetteer()
    for key, r in finds.regions.items():
        if r["level"] in ("township", "village") and r.get("parent_code"):
            d = g.get(r["parent_code"])
            while d is not None and d.level not in ("county",):
                d = g.get(d.parent)
            if d is not None and d.key in scores:
                scores[d.key] += 0.6 * len(r["mentions"])
    if partners:
        # 苏陕协作 in a report that says 江苏省向我省…: the writer's place is the pair's other province
        for m in _PAIR.finditer(text):
            giver, taker = province_of_short(m.group(1)), province_of_short(m.group(2))
            if giver in partners and taker and taker not in partners:
                found = [d for d in g.by_name(taker, villages=False) if d.level == "province"]
                if found:
                    return found[0].key
    if not scores:
        return None
    # A tie goes to the place that holds more of the report's other places (京蒙: the places named
    # are in 内蒙古, so the report is about 内蒙古, not the partner 北京).
    holds: Counter[str] = Counter()
    for key in finds.regions:
        d = g.get(key)
        if d is not None:
            for a in g.ancestors(d):
                if a.key in scores and a.key != key:
                    holds[a.key] += 1
    return max(scores, key=lambda k: (scores[k], holds[k], -LEVEL_RANK[finds.regions[k]["level"]]))
