"""Generate N synthetic reports of the real genre, deterministic by seed, with gold.

Places come from the gazetteer (every province, its cities, counties, towns and
villages), organisations from the usual bureau/bank/company patterns, money in the
forms real reports use (1.5亿元, 1,840万元, 两千万元, totals with 其中 parts), plus
income sentences that must not count as funding. A share of the reports is written in
traditional script, some with pinyin readings inserted after characters, as web
converters do. Each report gets a gold file in the format of ``shared/gold/FORMAT.md``.

    python bench/corpus.py 1000 --out /tmp/corpus --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.gazetteer import Division, load_gazetteer  # noqa: E402

BUREAUS = ["农业农村局", "财政局", "乡村振兴局", "发展和改革委员会", "商务局", "自然资源局", "水利局", "林业局",
           "文化和旅游局", "人力资源和社会保障局"]
BANKS = [("农业银行", "支行"), ("农村商业银行", "营业部"), ("邮政储蓄银行", "支行"), ("建设银行", "支行")]
#: The registered name of each bank written above (FORMAT.md: gold names are the full canonical form).
BANK_FULL_NAMES = {"农业银行": "中国农业银行", "邮政储蓄银行": "中国邮政储蓄银行", "建设银行": "中国建设银行"}
BRAND_CHARS = "丰华泰康盛源鑫宏达瑞祥润隆兴茂福安嘉禾金田绿野惠民裕农天成"
INDUSTRIES = ["农业科技", "生态农业", "食品", "茶业", "果业", "畜牧", "文化旅游", "中药材"]
PROGRAM_STEMS = ["强村富民", "兴村共富", "一村一品", "千村示范", "万企兴万村", "美丽乡村", "产业振兴", "党建引领"]
PROGRAM_HEADS = ["行动", "工程", "计划"]
LOAN_STEMS = ["强村贷", "兴农贷", "富民贷", "惠农贷"]
TOPICS = ["发展壮大村级集体经济", "推进乡村振兴", "巩固拓展脱贫攻坚成果", "农村人居环境整治"]
PINYIN = ["qū", "xiāng", "nóng", "zhèn", "cūn", "jīng", "jì", "fā", "zhǎn", "zī", "jīn", "xiàn"]


def _amount_text(rng: random.Random, yuan: int) -> str:
    wan = yuan // 10_000
    style = rng.random()
    if wan >= 10_000 and wan % 1000 == 0 and style < 0.5:
        return f"{wan / 10_000:g}亿元"
    if style < 0.2 and wan >= 1000:
        return f"{wan:,}万元"
    if style < 0.3 and wan in (200, 300, 500, 1000, 2000):
        return {200: "两百万元", 300: "三百万元", 500: "五百万元", 1000: "一千万元", 2000: "两千万元"}[wan]
    return f"{wan}万元"


def _pick_county(g, rng: random.Random) -> tuple[Division, Division, Division]:
    counties = _counties(g)
    while True:
        county = rng.choice(counties)
        city = g.get(county.parent)
        province = g.get(city.parent) if city else None
        if city and province and g.children(county.key):
            return province, city, county


_COUNTIES: list[Division] = []


def _counties(g) -> list[Division]:
    if not _COUNTIES:
        _COUNTIES.extend(d for d in g.at_level("county")
                         if d.code and d.name.endswith(("县", "区", "市", "旗")) and "的" not in d.name)
    return _COUNTIES


_CONVERTER: list = []


def _mangle(text: str, rng: random.Random, pinyin: bool) -> str:
    if not _CONVERTER:
        import opencc

        _CONVERTER.append(opencc.OpenCC("s2tw"))
    trad = _CONVERTER[0].convert(text)
    if not pinyin:
        return trad
    out = []
    for ch in trad:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.08:
            out.append(f"({rng.choice(PINYIN)})")
    return "".join(out)


# --- filler: the sentences of the genre that carry no fact to extract ------------------
HEADINGS = [
    "强化组织领导,凝聚发展合力", "坚持产业带动,拓宽增收渠道", "创新发展模式,激发内生动力",
    "强化要素保障,夯实发展基础", "规范管理运营,防范风险隐患", "深化改革探索,盘活资源资产",
    "突出党建引领,建强战斗堡垒", "下一步工作打算",
]
NUMERALS = "一二三四五六七八九十"
FILLER = [
    "坚持把发展壮大村级集体经济作为抓党建促乡村振兴的重要抓手。",
    "强化组织领导,建立健全工作推进机制,层层压实工作责任。",
    "坚持因村施策、分类指导,探索多种形式的集体经济发展路径。",
    "健全完善利益联结机制,带动农户稳定增收。",
    "加强村级财务管理,规范集体资产运营,防范化解风险隐患。",
    "持续深化农村集体产权制度改革,盘活闲置资源资产。",
    "加大宣传引导力度,及时总结推广典型经验和做法,营造比学赶超的浓厚氛围。",
    "把村级集体经济发展情况纳入年度目标责任考核,考核结果与村干部报酬挂钩。",
    "选优配强村“两委”班子,着力提升带头人队伍能力素质。",
    "推动土地经营权有序流转,发展适度规模经营。",
    "积极探索“村集体+合作社+农户”发展模式,实现集体和群众双增收。",
    "聚焦特色产业,延伸产业链条,提升产品附加值。",
    "注重发挥党员先锋模范作用,带领群众共同致富。",
    "对集体经济薄弱村实行挂牌督战,逐村制定帮扶措施。",
    "深入推进移风易俗,培育文明乡风、良好家风、淳朴民风。",
    "统筹用好各类帮扶资源,形成上下联动、部门协同的工作格局。",
    "严格项目资金监管,确保资金使用安全高效。",
    "通过盘活闲置校舍、厂房等资源,发展物业经济。",
    "鼓励村集体领办创办农民专业合作社,开展生产托管服务。",
    "积极发展乡村旅游、农村电商等新产业新业态。",
    "建立村级集体经济发展项目库,实行动态管理。",
    "加强督导检查,定期通报工作进展情况,对工作滞后的村进行约谈。",
    "抓好农业生产,确保粮食安全和重要农产品稳定供给。",
    "持续加强基层党组织建设,不断增强村党组织的政治功能和组织功能。",
    "坚持问题导向,着力破解集体经济发展中的难点堵点问题。",
    "完善村级公益事业建设机制,提升农村公共服务水平。",
    "围绕“资源变资产、资金变股金、农民变股东”的改革思路,稳步推进股份合作。",
    "引导外出务工人员、大中专毕业生返乡创业,为乡村发展注入新活力。",
    "坚持市场导向,推动小农户和现代农业发展有机衔接。",
    "落实“四议两公开”工作法,重大事项由村民民主决策。",
    "建立健全村级集体经济收益分配制度,收益主要用于公益事业和扶贫济困。",
    "加强与高校和科研院所合作,推广新品种新技术。",
    "发挥驻村工作队作用,帮助村集体理清发展思路、谋划发展项目。",
    "着力补齐基础设施短板,改善群众生产生活条件。",
    "深入开展“我为群众办实事”实践活动,解决群众急难愁盼问题。",
    "推动农文旅融合发展,打造一批乡村旅游精品线路。",
]
#: Named initiatives that some filler sentences quote: (text in the report, gold entry).
FILLER_PROGRAMS = [
    ("“我为群众办实事”实践活动", {"name": "我为群众办实事", "aliases": ["我为群众办实事实践活动"]}),
    ("“四议两公开”工作法", {"name": "四议两公开", "aliases": []}),
]
NUMBERED_FILLER = [
    "截至{year}年{month}月底,全{cs}{n}个行政村全部消除集体经济空壳村。",
    "新建高标准农田{small}万亩,完成农村户厕改造{n}户。",
    "累计培训村干部和致富带头人{n}人次。",
    "{year}年{month}月{day}日,召开全{cs}村级集体经济发展推进会议,安排部署重点工作。",
    "流转土地{n}亩,带动{small}00余户农户就近就业。",
    "培育示范合作社{small}家、家庭农场{n}家。",
    "全{cs}{n}个村集体经济经营性收入超过10万元,占比{pct}%。",
    "农村居民人均可支配收入达到{n}元,同比增长{pct}%。",
    "建成村级光伏电站{small}座、农产品仓储保鲜设施{n}处。",
    "{month}月以来,先后组织{small}批次村干部赴外地考察学习。",
]


def _filler(rng: random.Random, year: int, cs: str, deck: list[str]) -> str:
    if rng.random() < 0.3:
        template = rng.choice(NUMBERED_FILLER)
        return template.format(year=year, month=rng.randint(1, 12), day=rng.randint(1, 28), cs=cs,
                               n=rng.randint(12, 980), small=rng.randint(2, 9), pct=rng.randint(3, 95))
    if not deck:  # deal every sentence once before repeating one
        deck.extend(FILLER)
        rng.shuffle(deck)
    return deck.pop()


def make_report(index: int, rng: random.Random) -> tuple[str, dict]:
    """One report text and its gold: 700–2,700 characters (2–8 KB), like real reports."""
    g = load_gazetteer()
    province, city, county = _pick_county(g, rng)
    towns = [d for d in g.children(county.key)
             if d.level == "township" and len(d.name) >= 3 and d.name.endswith(("镇", "乡", "街道"))]
    town = rng.choice(towns) if towns else None
    year = rng.randint(2019, 2024)
    bureau = rng.choice(BUREAUS)
    finance = "财政局"
    bank, branch_kind = rng.choice(BANKS)
    brand = "".join(rng.sample(BRAND_CHARS, 2))
    company = f"{province.short or province.name[:2]}{brand}{rng.choice(INDUSTRIES)}有限公司"
    program = rng.choice(PROGRAM_STEMS)
    head = rng.choice(PROGRAM_HEADS)
    loan = rng.choice(LOAN_STEMS)
    topic = rng.choice(TOPICS)
    total = rng.choice([500, 800, 1200, 1500, 2000, 3000]) * 10_000
    central = total * 6 // 10 // 10_000 * 10_000
    local = total - central
    loan_amount = rng.choice([300, 600, 1840, 5000]) * 10_000
    invest = rng.choice([5000, 10000, 30000]) * 10_000
    special = rng.choice([80, 150, 260, 400, 650]) * 10_000
    villages = rng.randint(5, 60)
    income = rng.randint(100, 3000) * 10_000
    county_short = "县" if county.name.endswith("县") else ("区" if county.name.endswith("区") else "市")
    # a branch is named by its place as the text writes it (农业银行蔡甸区支行 -> 中国农业银行蔡甸区支行, FORMAT.md)
    branch_name = (f"{BANK_FULL_NAMES[bank]}{county.name}{branch_kind}" if bank in BANK_FULL_NAMES
                   else f"{bank}{county.name}{branch_kind}")
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    facts = [
        f"{county_short}{finance}整合{topic}资金{_amount_text(rng, total)},扶持{villages}个村发展集体经济,"
        f"其中中央资金{_amount_text(rng, central)}、{county_short}级资金{_amount_text(rng, local)}。",
        f"{county_short}{bureau}制定印发《{county.name}{year}年{topic}实施方案》,召开推进会。",
        f"{bank}{county.name}{branch_kind}推出“{loan}”,截至目前共发放贷款{rng.randint(10, 90)}笔{_amount_text(rng, loan_amount)}。",
        f"{county.name}引进{company},投资{_amount_text(rng, invest)}建设现代农业产业园。",
    ]
    fundings = [
        {"funder": county.name + finance, "amount_cny": total, "kind": "fund"},
        {"funder": "中央财政", "amount_cny": central, "kind": "grant"},
        {"funder": county_short + "级财政", "amount_cny": local, "kind": "fund"},  # a budget level gives (FORMAT.md)
        {"funder": branch_name, "amount_cny": loan_amount, "kind": "loan"},
        {"funder": company, "amount_cny": invest, "kind": "investment"},
    ]
    if special not in (total, central, local, loan_amount, invest) and rng.random() < 0.6:
        facts.append(f"{county_short}{finance}安排村级集体经济发展专项资金{_amount_text(rng, special)},"
                     f"支持{rng.randint(3, 20)}个村实施产业发展项目。")
        fundings.append({"funder": county.name + finance, "amount_cny": special, "kind": "fund"})
    if town is not None:
        facts.insert(1, f"在{town.name}发展特色种植,带动农户增收。")
    # Sections of filler around the facts, as in real reports (2–8 KB in UTF-8).
    n_filler = rng.randint(15, 75)
    deck: list[str] = []
    slots: list[list[str]] = [[] for _ in range(rng.randint(3, 5))]
    for fact in facts:
        rng.choice(slots).append(fact)
    for _ in range(n_filler):
        rng.choice(slots).append(_filler(rng, year, county_short, deck))
    for slot in slots:
        rng.shuffle(slot)
    headings = rng.sample(HEADINGS, len(slots))
    lines = [
        f"{county.name}{year}年发展壮大村级集体经济工作情况",
        f"发布时间:{year}-{month:02d}-{day:02d}",
        f"{year}年以来,{county.name}深入实施“{program}”{head},推动村级集体经济发展壮大。",
    ]
    for n, (heading, slot) in enumerate(zip(headings, slots)):
        lines.append(f"{NUMERALS[n]}、{heading}。" + "".join(slot))
    lines.append(f"全{county_short}村级集体经济收入达到{_amount_text(rng, income)},村均{rng.randint(5, 30)}万元。")
    text = "\n".join(lines) + "\n"
    gold = {
        "id": f"synthetic-{index:06d}",
        "jurisdiction": county.name,
        "regions": [
            {"name": county.name, "level": "county", "parent": city.name, "aliases": []},
            *([{"name": town.name, "level": "township", "parent": county.name, "aliases": []}] if town else []),
        ],
        "actors": [
            {"name": county.name + finance, "type": "GovernmentAgency", "aliases": [county_short + finance]},
            {"name": county.name + bureau, "type": "GovernmentAgency", "aliases": [county_short + bureau]},
            {"name": branch_name, "type": "FinancialInstitution", "aliases": [f"{bank}{county.name}{branch_kind}"]},
            {"name": company, "type": "Enterprise", "aliases": []},
        ],
        "programs": [{"name": program, "aliases": [program + head]}, {"name": loan, "aliases": []},
                     *(entry for quoted, entry in FILLER_PROGRAMS if quoted in text)],
        "documents": [{"title": f"{county.name}{year}年{topic}实施方案", "issuer": county.name + bureau}],
        "fundings": fundings,
    }
    style = rng.random()
    if style < 0.15:
        text = _mangle(text, rng, pinyin=True)
    elif style < 0.3:
        text = _mangle(text, rng, pinyin=False)
    return text, gold


def generate(n: int, seed: int = 7) -> Iterator[tuple[str, str, dict]]:
    """(report id, text, gold) for N reports, streaming."""
    rng = random.Random(seed)
    for i in range(n):
        text, gold = make_report(i, rng)
        yield gold["id"], text, gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", default="bench/corpus-out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gold", default=None, help="folder for gold files (default: OUT/gold)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    gold_dir = Path(args.gold) if args.gold else out / "gold"
    gold_dir.mkdir(parents=True, exist_ok=True)
    chars = 0
    for rid, text, gold in generate(args.n, args.seed):
        (out / "reports" / f"{rid}.txt").write_text(text, encoding="utf-8")
        (gold_dir / f"{rid}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        chars += len(text)
    print(f"wrote {args.n} reports ({chars:,} characters) to {out / 'reports'}, gold to {gold_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
