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
        _COUNTIES.extend(d for d in g.at_level("county") if d.code)
    return _COUNTIES


def _mangle(text: str, rng: random.Random, pinyin: bool) -> str:
    import opencc

    trad = opencc.OpenCC("s2tw").convert(text)
    if not pinyin:
        return trad
    out = []
    for ch in trad:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.08:
            out.append(f"({rng.choice(PINYIN)})")
    return "".join(out)


def make_report(index: int, rng: random.Random) -> tuple[str, dict]:
    """One report text and its gold."""
    g = load_gazetteer()
    province, city, county = _pick_county(g, rng)
    towns = [d for d in g.children(county.key) if d.level == "township" and len(d.name) >= 3]
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
    villages = rng.randint(5, 60)
    income = rng.randint(100, 3000) * 10_000
    county_short = "县" if county.name.endswith("县") else ("区" if county.name.endswith("区") else "市")
    sentences = [
        f"{year}年以来,{county.name}深入实施“{program}”{head},推动村级集体经济发展壮大。",
        f"{county_short}{finance}整合{topic}资金{_amount_text(rng, total)},扶持{villages}个村发展集体经济,"
        f"其中中央资金{_amount_text(rng, central)}、{county_short}级资金{_amount_text(rng, local)}。",
        f"{county_short}{bureau}制定印发《{county.name}{year}年{topic}实施方案》,召开推进会。",
        f"{bank}{county.name}{branch_kind}推出“{loan}”,截至目前共发放贷款{rng.randint(10, 90)}笔{_amount_text(rng, loan_amount)}。",
        f"{county.name}引进{company},投资{_amount_text(rng, invest)}建设现代农业产业园。",
        f"全{county_short}村级集体经济收入达到{_amount_text(rng, income)},村均{rng.randint(5, 30)}万元。",
    ]
    if town is not None:
        sentences.insert(2, f"在{town.name}发展特色种植,带动农户增收。")
    text = "\n".join(sentences) + "\n"
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
            {"name": f"{bank}{county.name}{branch_kind}", "type": "FinancialInstitution", "aliases": []},
            {"name": company, "type": "Enterprise", "aliases": []},
        ],
        "programs": [{"name": program, "aliases": [program + head]}, {"name": loan, "aliases": []}],
        "documents": [{"title": f"{county.name}{year}年{topic}实施方案", "issuer": county.name + bureau}],
        "fundings": [
            {"funder": county.name + finance, "amount_cny": total, "kind": "fund"},
            {"funder": "中央财政", "amount_cny": central, "kind": "grant"},
            {"funder": None, "amount_cny": local, "kind": "fund"},
            {"funder": f"{bank}{county.name}{branch_kind}", "amount_cny": loan_amount, "kind": "loan"},
            {"funder": company, "amount_cny": invest, "kind": "investment"},
        ],
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
