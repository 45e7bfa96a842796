"""Turn surface names into canonical ones, using the report's own jurisdiction.

``市农业农村局`` in a 遵义市 report is ``遵义市农业农村局``; ``遵义农商银行`` is
``遵义市农商银行``. Canonical names are deterministic, so the same organisation
named in two reports gets one IRI, and every surface form stays an alias.

>>> from kg.gazetteer import load_gazetteer
>>> chain = jurisdiction_chain("遵义市", load_gazetteer())
>>> canonical_actor_name("市农业农村局", chain)
'遵义市农业农村局'
>>> canonical_actor_name("遵义农商银行", chain)
'遵义市农商银行'
>>> canonical_actor_name("省以上财政", chain)
'省以上财政'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from kg.extract.common import LEVEL_OF_CHAR as _LEVEL_CHARS
from kg.extract.common import REGION_BUDGET, latest_year
from kg.gazetteer import MUNICIPALITIES, Division, Gazetteer, load_gazetteer
from kg.model import Actor, Extraction, Mention, Region
from kg.registers import Bank, bank_for_short, banks, former_organ_name, is_media_name, organ_for_tail, organ_tails
from kg.segment import pos_tags, words

# Level characters that do not start a short form (省以上财政, 市级资金, 县域).
_NOT_SHORT = re.compile(r"^[省市州县区镇乡](?:以上|以下|级|直|域|内|外|属|里|委书记|村|场|镇)")  # 乡村, 市场, 乡镇: words


def jurisdiction_chain(jurisdiction: str | None, g: Gazetteer) -> dict[str, Division]:
    """The jurisdiction and its enclosing divisions, by level."""
    if not jurisdiction:
        return {}
    cands = g.by_name(jurisdiction)
    if not cands:
        return {}
    d = cands[0]
    chain = {d.level: d}
    for a in g.ancestors(d):
        chain.setdefault(a.level, a)
    return chain


def _region_for_level_char(ch: str, chain: dict[str, Division]) -> Division | None:
    county = chain.get("county")
    if ch == "市" and county is not None and county.name.endswith("市"):
        return county  # a county-level city's report: 市财政局 is its own, not its prefecture's
    level = _LEVEL_CHARS[ch]
    d = chain.get(level)
    if d is None and ch == "市" and "city" not in chain and chain.get("province") is not None \
            and chain["province"].name in MUNICIPALITIES:
        return chain["province"]  # a municipality's report: 市财政局 is 天津市财政局
    if d is None:
        return None
    if ch == "区" and not d.name.endswith("区"):
        return None
    if ch == "县" and not d.name.endswith(("县", "旗")):
        return None
    if ch == "州" and not d.name.endswith("州"):
        return None
    if ch in "旗盟" and not d.name.endswith(ch):
        return None
    if ch == "市" and not d.name.endswith("市"):
        return None
    return d


def _zone_word(short: str, cands: list[Division]) -> bool:
    """True for a zone's short form that is a common noun (示范区, 高新区, 经开区), not the start of its own name."""
    return short.endswith("区") and all(d.short == short != d.name for d in cands)


def _leading_region(name: str, g: Gazetteer) -> tuple[str, list[Division]] | None:
    """The longest place name that starts ``name``."""
    for length in range(min(len(name) - 1, 12), 1, -1):
        cands = g.by_name(name[:length], villages=False)
        if cands:
            return name[:length], cands
    return None


def canonical_actor_name(name: str, chain: dict[str, Division], acting_region: Division | None = None,
                         g: Gazetteer | None = None, expand_short: bool = True) -> str:
    """Full canonical name of an organisation written in a report under ``chain``'s jurisdiction.

    Companies keep the place as registered (四川…有限公司), so ``expand_short`` is off for them.
    """
    g = g or load_gazetteer()
    if REGION_BUDGET.fullmatch(name):
        return name  # 自治区财政 is a budget level, as 省级财政 is (FORMAT.md), not the region's finance department
    for word, level in (("自治区", "province"), ("自治州", "city"), ("地区", "city")):
        # 自治区财政厅 in a 宁夏 report: the autonomous region's own body
        if name.startswith(word) and chain.get(level) is not None and chain[level].name.endswith(word):
            return chain[level].name + name[len(word):]
    if name and name[0] in _LEVEL_CHARS and not _NOT_SHORT.match(name):
        d = _region_for_level_char(name[0], chain)
        if d is not None:
            return d.name + name[1:]
        return name
    lead = _leading_region(name, g)
    if lead and _zone_word(*lead):
        # 示范区, 高新区: a zone's short form is a common noun; it is the zone only in the zone's own city
        keys = {d.key for d in chain.values()}
        inside = [d for d in lead[1] if d.key in keys or d.parent in keys]
        if not inside:
            return name
        lead = (lead[0], inside)
    if lead:
        short, cands = lead
        full = cands[0].name
        rest = name[len(short):]
        if expand_short and short != full and not full.startswith(short + rest[:1]) and rest[:1] not in _LEVEL_CHARS \
                and not any(short + rest[:k] in pos_tags() for k in (1, 2)):
            return full + rest  # (not where the short form starts a word of its own: 哈密|瓜专业合作社 is no place's)
        return name
    if acting_region is not None:
        return acting_region.name + name
    return name


def register_form(name: str, g: Gazetteer | None = None, chain: dict[str, Division] | None = None) -> str:
    """The form a national register uses for a place's core bodies.

    >>> register_form("锦屏县政府"), register_form("贵州省财政"), register_form("遵义市委组织部")
    ('锦屏县人民政府', '贵州省财政厅', '中共遵义市委组织部')
    """
    g = g or load_gazetteer()
    pos, last = 0, None
    while True:
        for length in range(min(len(name) - pos, 14), 1, -1):
            found = [d for d in g.by_name(name[pos : pos + length]) if d.level != "village" and d.name == name[pos : pos + length]]
            if found:
                pos, last = pos + length, found[0]
                break
        else:
            break
    if last is None:
        return name
    place, rest = name[:pos], name[pos:]
    if rest:
        place = _with_city(place, g, chain or {})  # a place acting as itself keeps its own name
    if rest[:1] == place[-1:] and rest[:1] in _LEVEL_CHARS and organ_for_tail(rest, last.level) is None \
            and not (rest[1:2] not in "委政" and rest[:2] in pos_tags()):
        rest = rest[1:]  # 某旗旗农牧和科技局: the place's level written twice (not 某地区|区域…中心: a word of its own)
    organ = organ_for_tail(rest, last.level)
    if organ is not None:
        full = place + organ.name
        return organ.prefix + full if organ.prefix and not name.startswith(("中共", "中国共产党")) else full
    if rest.startswith("委") and not rest.startswith("委员") and not name.startswith(("中共", "中国共产党")):
        return "中共" + place + rest
    return place + rest


def _needs_region_prefix(actor: Actor) -> bool:
    """Government bodies named without a place (产业发展服务中心) belong to the acting place."""
    return actor.type in ("GovernmentAgency",) and actor.name.endswith(("中心", "办公室", "局", "领导小组", "委员会", "政协", "厅"))


def _report_year(extraction: Extraction) -> int | None:
    """The year a report was written: its date's, else the latest year its text names (before a reform or after)."""
    date = extraction.report.raw.date or latest_year(extraction.report.text) or ""
    return int(date[:4]) if date[:4].isdigit() else None


def resolve(extraction: Extraction, g: Gazetteer | None = None) -> Extraction:
    """Canonical names, merged duplicates, aliases and regions for one report."""
    g = g or load_gazetteer()
    extraction = replace(extraction, jurisdiction=_jurisdiction_by_own_words(extraction, g))
    chain = _with_report_levels(jurisdiction_chain(extraction.jurisdiction, g), extraction, g)
    sentences = extraction.sentences
    region_spans = [(m.start, m.end, r) for r in extraction.regions for m in r.mentions]

    def acting_region(m: Mention) -> Division | None:
        sent = sentences[m.sentence]
        before = [r for s, e, r in region_spans if sent.start <= s and e <= m.start]
        if not before:
            return None
        r = max(before, key=lambda r: max(mm.start for mm in r.mentions if mm.start < m.start))
        cands = g.by_name(r.name)
        return cands[0] if cands and cands[0].level in ("province", "city", "county", "township") else None

    bank_actors = [a for a in extraction.actors if a.type == "FinancialInstitution"]
    year = _report_year(extraction)
    surface_to_canonical: dict[str, str] = {}
    merged: dict[str, dict] = {}
    for a in extraction.actors:
        acting = None
        bank = bank_for_short(a.name) if a.type == "FinancialInstitution" else None
        if bank is not None:
            county = chain.get("county")
            # 农行 in a report that names 农业银行X县支行 is that branch; 农商行: the rural bank of the county
            province = chain.get("province")
            named = sorted({x.name for x in extraction.actors if x.type == "FinancialInstitution" and x.name != a.name
                            and x.name.endswith((*bank.short, bank.core)) and _leading_region(x.name, g)})
            if not bank.full and len(named) == 1:
                canonical = named[0]  # 农商行 in a report about 东宁农商银行: that bank
            elif bank.kind == "provincial" and province is not None:
                canonical = province.name + bank.core  # 农担公司: the province's agricultural credit guarantor
            elif not bank.full and (county is None or bank.kind != "rural"):
                continue  # 农商行 in a report about no county, 村镇银行: a kind of bank, none named
            else:
                canonical = _bank_branch(bank, extraction.actors, chain) if bank.full else (
                    county.name + bank.core)
            if canonical != bank.full and bank.full:
                canonical = _bank_full_name(canonical, canonical, bank_actors, chain)
            surface_to_canonical[a.name] = canonical
            entry = merged.setdefault(canonical, {"actor": a, "aliases": set(), "mentions": []})
            entry["aliases"].add(a.name)
            entry["mentions"].extend(a.mentions)
            continue
        if a.name[0] in _LEVEL_CHARS and _LEVEL_CHARS[a.name[0]] not in chain and not _NOT_SHORT.match(a.name):
            acting = acting_region(a.mentions[0])  # 镇党委 in a county report: the town of the sentence
        level_short = a.name[0] in _LEVEL_CHARS and not _NOT_SHORT.match(a.name)  # 县财政局, not 乡村振兴局
        national = a.name.startswith(("国家", "中国", "中华", "中央", "全国", "国务院", "自治区", "自治州", "地区"))
        # national bodies are never a place's own; 自治区/自治州/地区 bodies are read by canonical_actor_name
        if a.type != "Person" and _needs_region_prefix(a) and _leading_region(a.name, g) is None and not level_short \
                and not national \
                and not a.name.startswith(("自治区", "自治州")):
            acting = acting_region(a.mentions[0]) or chain.get("county") or chain.get("city")
            organ = organ_for_tail(a.name, None)
            if a.name.endswith("厅"):
                acting = chain.get("province")  # 农业厅: a province's department
            elif acting is not None and organ is not None and not organ.fits(acting.level):
                # 水利局 in a sentence about a township: a county body (a township has none)
                acting = next((d for d in [*g.ancestors(acting), chain.get("county"), chain.get("city")]
                               if d is not None and organ.fits(d.level)), acting)
        if acting is not None and level_short and acting.name.endswith(a.name[0]):
            canonical = acting.name + a.name[1:]
        else:
            canonical = a.name if a.type == "Person" else canonical_actor_name(
                re.sub(r"[“”\"]", "", a.name), chain, acting if not level_short else None, g,
                expand_short=a.type not in ("Enterprise", "FinancialInstitution", "SocialOrganization")
                and not a.name.endswith("公司"))
            # companies and banks keep the place as they write it (紫金农商银行, not 紫金县…)
        village_committee = _village_committee(a.name) if a.type == "GovernmentAgency" else None
        if village_committee:
            canonical = village_committee  # a village is named in full, with its own 村
        elif a.type == "SocialOrganization" and is_media_name(a.name):
            canonical = a.name  # 湖北日报, 新华社: an outlet keeps its own name
        elif a.type in ("GovernmentAgency", "PartyOrganization", "SocialOrganization", "Cooperative"):
            canonical = former_organ_name(register_form(canonical, g, chain), a.name, year)
        elif a.type == "FinancialInstitution":
            canonical = _bank_full_name(canonical, a.name, bank_actors, chain)
        surface_to_canonical[a.name] = canonical
        entry = merged.setdefault(canonical, {"actor": a, "aliases": set(), "mentions": []})
        entry["aliases"].update({a.name, *a.aliases})
        entry["mentions"].extend(a.mentions)
    for longer, shorter in _same_body_pairs(list(merged), g):
        if shorter in merged and longer in merged:
            entry = merged.pop(shorter)  # 荷塘区乡村振兴局 and 株洲市荷塘区乡村振兴局: one body, recorded once
            merged[longer]["aliases"].update(entry["aliases"] | {shorter})
            merged[longer]["mentions"].extend(entry["mentions"])
            for surface, canonical in surface_to_canonical.items():
                if canonical == shorter:
                    surface_to_canonical[surface] = longer
    actors = []
    for canonical, entry in merged.items():
        a: Actor = entry["actor"]
        lead = _leading_region(canonical, g)
        region = lead[1][0].name if lead else (chain.get("county") or chain.get("city") or chain.get("province")).name if chain and a.type != "Person" else None
        actors.append(replace(a, name=canonical, region=region, aliases=tuple(sorted(entry["aliases"] - {canonical})),
                              mentions=tuple(sorted(entry["mentions"], key=lambda m: m.start))))
    jurisdiction_name = extraction.jurisdiction
    programs = tuple(replace(p, region=p.region or jurisdiction_name) for p in extraction.programs)

    def canon(name: str | None) -> str | None:
        if name is None:
            return None
        name = re.sub(r"[“”\"]", "", name)
        return surface_to_canonical.get(name) or register_form(canonical_actor_name(name, chain, None, g), g)

    fundings = tuple(replace(f, funder=canon(f.funder), recipient=canon(f.recipient)) for f in extraction.fundings)
    measures = tuple(replace(m, actor=canon(m.actor)) for m in extraction.measures)
    documents = tuple(replace(d, issuer=canon(d.issuer)) for d in extraction.documents)
    regions = tuple(_attach_parent(r, chain) for r in extraction.regions)
    return replace(extraction, actors=tuple(actors), programs=programs, fundings=fundings, measures=measures,
                   documents=documents, regions=regions)


def _bank_branch(bank: Bank, actors: tuple[Actor, ...], chain: dict[str, Division]) -> str:
    """农行 in a report that names 农业银行X县支行 is that branch (the one of the jurisdiction first)."""
    full, forms = bank.full, {bank.core, *bank.short}
    g = load_gazetteer()
    # (竹山中行, 湖北十堰竹山中行: the bank's short form after places is its branch there too)
    branches = [a.name for a in actors if a.name not in forms and (
        any(f in a.name for f in forms) and a.name.endswith(("支行", "分行"))
        or any(a.name.endswith(f) and g.place_chain(a.name[: -len(f)]) for f in forms))]
    for level in ("village", "township", "county", "city", "province"):
        d = chain.get(level)
        if d is None:
            continue
        for name in branches:
            if d.name in name or (d.short and d.short in name):
                return name
    return branches[0] if len(branches) == 1 else full


@lru_cache(maxsize=1)
def _long_organ_tails() -> tuple[str, ...]:
    """Organ forms of the register that end like a village committee (农业农村委)."""
    return tuple(t for t in organ_tails() if t.endswith(("村委", "村委会")) and len(t) > 3)


def _with_city(place: str, g: Gazetteer, chain: dict[str, Division]) -> str:
    """A municipality's district written alone gets the municipality, as registers write it (重庆市巴南区).

    Only when the district is the report's own or its only one of that name.
    """
    if not place.endswith("区"):
        return place
    cands = [d for d in g.by_name(place) if d.level == "county" and d.name == place]
    if chain.get("county") is not None and chain["county"].name == place:
        cands = [chain["county"]]
    elif len(cands) != 1:
        return place
    city = g.get(cands[0].parent)
    if city is None or city.level != "city" or place.startswith(city.name):
        return place
    if not any(a.level == "province" and a.name == city.name for a in g.ancestors(city)):
        return place  # only a municipality's districts: 株洲市荷塘区X would also read as 株洲市X
    return city.name + place


_OWN_LEVEL = re.compile(r"(?:全|该|我|本)([县区旗])|([县区旗])(?:委|政府|里|财政|直)")


def _jurisdiction_by_own_words(extraction: Extraction, g: Gazetteer) -> str | None:
    """The report's county as its own words say (全县, 该县, 县委 …): a 县 report is not about the 区 it partners.

    >>> from kg.pipeline import extract_text
    >>> extract_text("石泉县坚持党建引领,全县村级集体经济组织全覆盖。该县与西安市莲湖区结对,莲湖区帮扶资金1000万元,县委高度重视。").jurisdiction
    '石泉县'
    """
    current = _jurisdiction_from_head(extraction, g)
    counts = Counter(m.group(1) or m.group(2) for m in _OWN_LEVEL.finditer(extraction.report.text))
    if not counts:
        return current
    ch, n = counts.most_common(1)[0]
    if n < 2 or (current and current.endswith(ch)):
        return current
    d = next(iter(g.by_name(current)), None) if current else None
    if d is not None and d.level not in ("county", "city"):
        return current  # a province report: its short forms are read by _with_report_levels
    named = [r for r in extraction.regions if r.level == "county" and r.name.endswith(ch) and r.mentions]
    if not named:
        return current
    return max(named, key=lambda r: (len(r.mentions), -min(m.start for m in r.mentions))).name


def _jurisdiction_from_head(extraction: Extraction, g: Gazetteer) -> str | None:
    """The jurisdiction, or the county the title or publisher names when the text names none or only its city.

    A notice published by 株洲市荷塘区人民政府 that writes only 区财政局 is about 荷塘区.
    """
    from kg.extract.regions import _region_matches

    current = extraction.jurisdiction
    raw = extraction.report.raw
    head = " ".join(x for x in (raw.title, raw.publisher) if x)
    if not head:
        return current
    found = []
    bounds, pos = {0}, 0
    for w in words(head):
        pos += len(w)
        bounds.add(pos)
    for start, end, name in _region_matches(head):
        # (a county's short name only as a word of its own: 菇乡|庆元, not 乡村振兴局 of 振兴区)
        found.extend(d for d in g.by_name(name) if d.level in ("province", "city")
                     or d.level == "county" and (d.name == name or start in bounds and end in bounds))
    if not found:
        return current
    order = {"province": 0, "city": 1, "county": 2}
    cur = next((d for d in g.by_name(current) if d.level in order), None) if current else None
    best = max(found, key=lambda d: (order[d.level], cur is not None and any(a.key == cur.key for a in g.ancestors(d))))
    if cur is None:
        return best.name
    if order[best.level] > order.get(cur.level, 2) and any(a.key == cur.key for a in g.ancestors(best)):
        return best.name  # the text names the city, the publisher its county
    return current


def _with_report_levels(chain: dict[str, Division], extraction: Extraction, g: Gazetteer) -> dict[str, Division]:
    """The jurisdiction's chain, plus the county (or city) the report names most when it writes 区/县 short forms.

    A report about 重庆市 that writes 区纪委 and names 巴南区 throughout means 巴南区's.
    """
    chain = dict(chain)
    for level, chars in (("county", "区县旗"), ("city", "市州盟"), ("township", "镇乡")):
        if level in chain or not any(a.name[:1] in chars and not _NOT_SHORT.match(a.name) for a in extraction.actors):
            continue
        named = [r for r in extraction.regions if r.level == level and r.name[-1:] in chars and r.mentions
                 and (r.code or level == "township")]
        if not named:
            continue
        ranked = sorted(named, key=lambda r: (len(r.mentions), -min(m.start for m in r.mentions)), reverse=True)
        best = ranked[0]
        if level == "township" and len(ranked) > 1 and len(ranked[1].mentions) * 2 > len(best.mentions):
            continue  # several towns named alike: 镇党委 is read sentence by sentence
        d = g.get(best.code) or next((c for c in g.by_name(best.name) if c.level == level), None)
        if d is None and level == "township":
            d = Division(best.name, best.name, "township", None, best.parent_code)  # a town the gazetteer lacks
        if d is None:
            continue
        if chain and not any(a.key == (chain.get("city") or chain.get("province")).key for a in g.ancestors(d)):
            continue  # a place outside the report's jurisdiction is no reading of its short forms
        chain[level] = d
        for a in g.ancestors(d):
            chain.setdefault(a.level, a)
    return chain


def _same_body_pairs(names: list[str], g: Gazetteer) -> list[tuple[str, str]]:
    """Pairs of names of one body, one with more of its places written (株洲市荷塘区X, 荷塘区X)."""
    bare = {n: re.sub(r"^(?:中共|中国共产党)", "", n) for n in names}
    split = {n: _place_prefix(bare[n], g) for n in names}
    strip = {n: _without_places(bare[n], g) for n in names}
    out = []
    for longer in names:
        lb = bare[longer]
        lp, lr = split[longer]
        for shorter in names:
            sb = bare[shorter]
            if len(lb) <= len(sb):
                continue
            if len(sb) >= 4 and lb.endswith(sb) and _only_place_names(lb[: -len(sb)], g):
                out.append((longer, shorter))
                continue
            # 涛涛叫合作社 and 涛涛叫农业专业合作社, 华能集团 and 中国华能集团有限公司: a brand, short and full
            kind = next((k for k in ("合作社", "公司", "集团") if sb.endswith(k) and k in lb), None)
            brand = sb[: -len(kind)] if kind else ""
            core = _place_prefix(re.sub(r"^中国", "", lb), g)[1]  # (海南某某产业股份有限公司 and 某某公司: the brand after the place)
            if kind and len(brand) >= 2 and core.startswith(brand) and kind in core[len(brand):] \
                    and not _only_place_names(brand, g):
                out.append((longer, shorter))
                continue
            # 农发行湖南省零陵支行 and 农发行湖南省永州市零陵支行: the same name with more places inside
            # (one branch only when both end at the same place: 青海分行 and 青海格尔木分行 are the province's and a city's)
            # (and 农发行赣州分行 and 农业发展银行赣州市分行: the same place written short and in full)
            if strip[longer][0] == strip[shorter][0] and strip[shorter][1] <= strip[longer][1] and strip[shorter][1] \
                    and strip[shorter][2] == strip[longer][2] \
                    and (sb.endswith(("支行", "分行", "营业部")) or sb.endswith(_place_bank_forms())):
                # (a city's bureau and its district's stay two; 某省甲农村商业银行 and 甲县农村商业银行 are one bank)
                out.append((longer, shorter))
                continue
            sp, sr = split[shorter]
            if sp and sp == lp and _same_bank_kind(lr, sr):
                out.append((longer, shorter))  # 某县农村信用合作联社 and 某县农信联社: one place's bank, in full and short
                continue
            # 省代建局 and 广东省代建项目管理局: an abbreviation keeps the first and last characters in order
            if lr and sr and len(sr) >= 3 and len(lr) > len(sr) and lr[0] == sr[0] and lr[-1] == sr[-1] \
                    and sr[-1] in "局办委厅部室" \
                    and _subsequence(sr, lr) and (not sp or not lp or sp == lp or lp.endswith(sp) or sp.endswith(lp)) \
                    and (lp or not sp):
                full = organ_for_tail(sr, None)
                if not (full is not None and full.name == sr):
                    out.append((longer, shorter))
    return sorted(out, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def _place_bank_forms() -> tuple[str, ...]:
    """How a place's own bank is written after the place (农村商业银行, 农商银行, 农村信用合作联社, 农信社 …)."""
    return tuple(sorted({w for bank in banks() if not bank.full for w in (bank.core, *bank.short) if len(w) >= 3},
                        key=len, reverse=True))


def _same_bank_kind(a: str, b: str) -> bool:
    """Two names of one kind of bank written after a place, its core and a short form (农村信用合作联社, 农信联社).

    >>> _same_bank_kind("农村信用合作联社", "农信联社"), _same_bank_kind("农村商业银行", "农信联社")
    (True, False)
    """
    return a != b and any(not bank.full and {a, b} <= {bank.core, *bank.short} for bank in banks())


def _place_at(text: str, pos: int, g: Gazetteer, villages: bool = False) -> tuple[int, Division] | None:
    """The longest place name (up to 12 characters) at ``pos``: its length and first division."""
    for length in range(min(len(text) - pos, 12), 1, -1):
        found = g.by_name(text[pos : pos + length], villages)
        if found:
            return length, found[0]
    return None


@lru_cache(maxsize=65536)
def _place_prefix(name: str, g: Gazetteer) -> tuple[str, str]:
    """The places a name begins with, and the rest (西宁市城北区, 全域服务中心)."""
    pos = 0
    while (hit := _place_at(name, pos, g)) is not None:
        pos += hit[0]
    return name[:pos], name[pos:]


@lru_cache(maxsize=65536)
def _without_places(name: str, g: Gazetteer) -> tuple[str, frozenset[str], str | None]:
    """A name with the places written in it taken out, those places (as division keys) and the last of them."""
    rest, keys, pos, last = [], set(), 0, None
    while pos < len(name):
        hit = _place_at(name, pos, g)
        if hit is not None:
            keys.add(hit[1].key)
            last = hit[1].key
            pos += hit[0]
        else:
            rest.append(name[pos])
            pos += 1
    return "".join(rest), frozenset(keys), last


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@lru_cache(maxsize=65536)
def _only_place_names(text: str, g: Gazetteer) -> bool:
    """True when ``text`` is nothing but place names (villages too)."""
    pos = 0
    while pos < len(text):
        hit = _place_at(text, pos, g, villages=True)
        if hit is None:
            return False
        pos += hit[0]
    return bool(text)


def _village_committee(name: str) -> str | None:
    """A village's committee by its register name (泮子山村委, 崔庄村村委会 -> …村村民委员会).

    >>> _village_committee("泮子山村委"), _village_committee("崔庄村村委会"), _village_committee("区农业农村委")
    ('泮子山村村民委员会', '崔庄村村民委员会', None)
    """
    if any(name.endswith(t) for t in _long_organ_tails()):
        return None  # 区农业农村委: a county body whose name ends in 村委
    for tail, full in (("村民委员会", "村民委员会"), ("居民委员会", "居民委员会"), ("村委会", "村民委员会"),
                       ("村委", "村民委员会"), ("居委会", "居民委员会")):
        if name.endswith(tail) and len(name) > len(tail):
            place = name[: -len(tail)]
            if tail.startswith("村") and not place.endswith("村"):
                place += "村"  # 泮子山村委: the village's own 村 begins the short form
            if tail.startswith("居") and not place.endswith("社区"):
                return None
            return place + full if len(place) >= 2 else None
    return None


def _bank_full_name(canonical: str, surface: str, bank_actors: list[Actor], chain: dict[str, Division]) -> str:
    """A bank's full name: short forms spelled out (农发行X支行 -> 中国农业发展银行X支行).

    A branch named without its bank (X县支行) belongs to the bank named before it in the report.
    """
    shorts = _registered_bank_shorts()
    g = load_gazetteer()
    lead, at = _leading_region(canonical, g), 0
    while lead and canonical[at + len(lead[0]):] not in shorts:
        after = _leading_region(canonical[at + len(lead[0]):], g)
        if after is None:
            break
        at, lead = at + len(lead[0]), after  # 湖北十堰竹山中行: the last place of the chain is the branch's
    province = next((d for d in lead[1] if d.level == "province" and lead[0] in (d.name, d.short)), None) if lead else None
    if lead and canonical[at + len(lead[0]):] in shorts and (
            province or lead[1][0].name == lead[0] or lead[1][0] in g.shortened(lead[0])):
        # 蒙城县农行, 黄梅农发行, 福建农行: that bank's branch in the place (支行 of a county, 分行 above)
        d = province or lead[1][0]
        return bank_for_short(canonical[at + len(lead[0]):]).full + d.name + ("支行" if d.level == "county" else "分行")
    for short in shorts:
        if canonical.startswith(short):
            bank = bank_for_short(short)
            rest = canonical[len(short):]
            level = _LEVEL_CHARS.get(rest[:1]) if rest[1:] in ("分行", "支行") else None
            if level and chain.get(level) is not None:
                return bank.full + chain[level].name + rest[1:]  # 农发行省分行 in a 青海 report: 青海省分行
            return bank.full + _branch_place(rest)
    for b in banks():
        if b.full and canonical.startswith(b.full):
            return b.full + _branch_place(canonical[len(b.full):])
    lead = _leading_region(surface, load_gazetteer())
    if lead and any(d.level == "province" for d in lead[1]):
        province = next(d for d in lead[1] if d.level == "province")
        for b in banks():
            if b.kind == "provincial" and surface[len(lead[0]):] in (*b.short, b.core):
                return province.name + b.core  # 安徽农信 -> 安徽省农村信用社联合社: the province's own
    if surface[:1] in _LEVEL_CHARS or (lead and lead[0][-1:] in _LEVEL_CHARS):
        # 县农商行, 渠县农商行: the rural bank of that place (西宁农商银行 keeps the bank's own spelling).
        for b in banks():
            if not b.full:
                for short in sorted(b.short, key=len, reverse=True):
                    if canonical.endswith(short):
                        place = canonical[: -len(short)]
                        if place in _LEVEL_CHARS:
                            return canonical  # the report names no such place: keep what it wrote
                        if b.kind == "rural" and place[-1:] in _LEVEL_CHARS and len(place) > 2 \
                                and surface[:1] not in _LEVEL_CHARS:
                            # 西宁市农商银行 is the 西宁农商银行 another report writes: one bank, one name
                            return place[:-1] + canonical[len(place):]
                        if b.kind == "rural" or b.kind == "provincial" and place.endswith(("省", "自治区", "市")) \
                                and any(d.level == "province" for d in load_gazetteer().by_name(place)):
                            return place + b.core  # 县农商行, 省农担: that place's own
                        return canonical
    if canonical.endswith(("支行", "分行", "营业部")) and "银行" not in canonical and "行" not in canonical[:-2]:
        first = min((m.start for a in bank_actors if a.name == surface for m in a.mentions), default=None)
        before = [(m.start, _bank_of(a.name)) for a in bank_actors if a.name != surface for m in a.mentions
                  if first is not None and m.start < first and _bank_of(a.name)]
        if before:
            bank = max(before)[1]
            registered = any(b.full == bank for b in banks())
            return bank + (_branch_place(canonical) if registered else canonical)  # 吉林银行吉林分行 as written
        return _branch_place(canonical)  # no bank named: the branch by its place's official name
    return canonical


def _branch_place(rest: str) -> str:
    """A branch by the official name of its place (江西吉水县支行 -> 吉水县支行, 沿河县 -> 沿河土家族自治县).

    A district keeps its city where the bank writes it (新余市渝水区支行) and stays alone where it does not
    (渝水区支行, as gold and the text name it); a city or province is kept as the bank writes it, but a city
    written after its province alone is named without it (山东淄博分行 -> 淄博分行); a municipality is kept before
    its county as before its district (重庆市垫江县支行).

    >>> _branch_place("江西省新余市渝水区支行"), _branch_place("沿河县支行"), _branch_place("海南省分行")
    ('新余市渝水区支行', '沿河土家族自治县支行', '海南省分行')
    >>> _branch_place("山东淄博分行"), _branch_place("宁夏中卫市支行"), _branch_place("湖南省永州市零陵支行")
    ('淄博分行', '中卫市支行', '湖南省永州市零陵支行')
    >>> _branch_place("渝水区支行"), _branch_place("重庆市垫江县支行")
    ('渝水区支行', '重庆市垫江县支行')
    >>> _branch_place("黔东南州分行"), _branch_place("阿左旗支行")
    ('黔东南苗族侗族自治州分行', '阿拉善左旗支行')
    """
    rest = re.sub(r"^(?:辖属|所属|下属)", "", rest)  # 农发行辖属东西湖区支行: the branch under the bank, by its place
    m = re.fullmatch(r"(.+?)(支行|分行|营业部)", rest)
    if not m:
        return rest
    g = load_gazetteer()
    places, pos, chain, lengths = m.group(1), 0, [], []
    while pos < len(places):
        for length in range(min(len(places) - pos, 12), 1, -1):
            piece = places[pos : pos + length]
            cands = [d for d in g.by_name(piece) if d.level != "village"]
            if cands:
                under = [d for d in cands if chain and d.parent == chain[-1].key]
                # 西安分行: a short name is the city before the district of the same short name
                order = {"province": 0, "city": 1, "county": 2, "township": 3}
                cands = sorted(cands, key=lambda d: (d.name != piece, order.get(d.level, 4)))
                chain.append((under or cands)[0])
                pos += length
                lengths.append(length)
                break
        else:
            return rest  # not only places: keep the branch as written
    last = chain[-1]
    if len(chain) == 2 and chain[0].level == "province" and last.level in ("city", "county") \
            and not chain[0].name.endswith("市"):
        # 山东淄博分行, 宁夏中卫市支行: a city's or county's branch is named by its own place, not its province
        return _branch_place(rest[lengths[0]:])
    if last.level == "province" and len(chain) == 1:
        return last.name + m.group(2)  # 海南分行 -> 海南省分行: a province by its full name
    if last.level == "city" and len(chain) == 1 and last.name.endswith("自治州") and places != last.name:
        return last.name + m.group(2)  # 临夏州分行 -> 临夏回族自治州分行: an autonomous prefecture by its full name
    if last.level != "county" or not _written_as(places, last):
        return rest  # 永宁支行, 江北新区分行: the bank's own naming, kept
    if last.name.endswith("区") and len(chain) > 1:
        city = g.get(last.parent)
        return (city.name if city is not None and city.level == "city" else "") + last.name + m.group(2)
    if len(chain) > 1 and chain[0].level == "province" and chain[0].name.endswith("市"):
        return chain[0].name + last.name + m.group(2)  # a municipality's county keeps it, as its districts do (重庆市垫江县支行)
    return last.name + m.group(2)


def _written_as(places: str, d: Division) -> bool:
    """True when the text ends with this county's name, official or shortened (沿河县 for 沿河土家族自治县)."""
    g = load_gazetteer()
    for length in range(min(len(places), 12), 1, -1):
        piece = places[-length:]
        if piece == d.name or (piece[-1] == d.name[-1] and piece[:2] == d.name[:2] and len(piece) >= 3):
            return True
        if len(piece) >= 3 and piece[-1] == d.name[-1] and d in g.by_name(piece):
            return True  # 阿左旗 for 阿拉善左旗: a short name the gazetteer knows, with the county's own ending
    return False


@lru_cache(maxsize=1)
def _registered_bank_shorts() -> tuple[str, ...]:
    """Short forms of the named banks of the register (农发行, 邮储银行), longest first."""
    return tuple(sorted({s for b in banks() if b.full for s in b.short}, key=len, reverse=True))


def _bank_of(name: str) -> str | None:
    """The bank a name belongs to, in full (农发行X支行 -> 中国农业发展银行; X银行Y支行 -> X银行)."""
    for short in _registered_bank_shorts():
        if name.startswith(short):
            return bank_for_short(short).full
    if "银行" in name:
        return name[: name.index("银行") + 2]
    return None


def _attach_parent(region: Region, chain: dict[str, Division]) -> Region:
    """A township or village the gazetteer could not place hangs under the jurisdiction."""
    if region.parent or not chain:
        return region
    order = ["province", "city", "county", "township", "village"]
    lower = order.index(region.level)
    for level in reversed(order[:lower]):
        d = chain.get(level)
        if d is not None:
            return replace(region, parent=d.name, parent_code=d.node_key)
    return region


__all__ = ["resolve", "canonical_actor_name", "jurisdiction_chain"]
