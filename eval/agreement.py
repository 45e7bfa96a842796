"""How far two annotators agree: one gold folder scored as if it were the extractor's output against another.

The second annotation's required entries stand in for predictions and are matched with the rules of
``../shared/gold/FORMAT.md`` (``kg.eval``), in both directions; the mean of the two F1 figures is the agreement.
It is the ceiling an extractor can be expected to reach on a category.

    python eval/agreement.py eval/dev/gold eval/audit/gold
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import KgError
from kg.eval import CATEGORIES, ReportScore, load_gold, score_predictions


def as_predictions(gold: dict) -> dict[str, list[dict]]:
    """A gold file's required entries in the shape of the extractor's rows (an optional entry is no claim)."""
    keep = lambda rows: [r for r in rows if r.get("optional") is not True]  # noqa: E731
    out = {cat: keep(gold.get(cat, [])) for cat in ("regions", "actors", "programs", "documents")}
    out["fundings"] = [f for f in keep(gold.get("fundings", [])) if f.get("amount_cny")]
    return out


def agreement(first: dict[str, dict], second: dict[str, dict]) -> tuple[ReportScore, ReportScore, list[str]]:
    """Scores of ``second`` against ``first`` and of ``first`` against ``second``, over the reports both annotated.

    >>> g = {"r": {"id": "r", "actors": [{"name": "某县财政局"}], "fundings": [
    ...     {"amount_cny": 100, "funder": "某县财政局"}]}}
    >>> a, b, both = agreement(g, g)
    >>> a.counts["actors"].f1, a.funder.value, both
    (1.0, 1.0, ['r'])
    """
    both = sorted(set(first) & set(second))
    one = score_predictions({r: as_predictions(second[r]) for r in both}, {r: first[r] for r in both}).overall
    other = score_predictions({r: as_predictions(first[r]) for r in both}, {r: second[r] for r in both}).overall
    return one, other, both


def format_agreement(one: ReportScore, other: ReportScore, reports: int) -> str:
    """A table: F1 each way and their mean per category, then funder accuracy each way."""
    lines = [f"{'category':<10} {'2nd vs 1st':>10} {'1st vs 2nd':>10} {'mean':>6}"]
    for cat in CATEGORIES:
        if cat == "indicators":
            continue
        a, b = one.counts[cat].f1, other.counts[cat].f1
        lines.append(f"{cat:<10} {a:>10.3f} {b:>10.3f} {(a + b) / 2:>6.3f}")
    lines.append(f"funder     {one.funder.value:>10.3f} {other.funder.value:>10.3f} "
                 f"{(one.funder.value + other.funder.value) / 2:>6.3f}  "
                 f"({one.funder.right}/{one.funder.total}, {other.funder.right}/{other.funder.total} matched fundings)")
    lines.append(f"reports annotated twice: {reports}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="folder of the first annotation's <report-id>.json")
    parser.add_argument("second", type=Path, help="folder of the second annotation's <report-id>.json")
    args = parser.parse_args(argv)
    try:
        one, other, both = agreement(load_gold(args.first), load_gold(args.second))
    except KgError as exc:
        print(f"agreement: {exc}", file=sys.stderr)
        return 1
    if not both:
        print(f"agreement: no report is annotated in both {args.first} and {args.second}", file=sys.stderr)
        return 1
    print(format_agreement(one, other, len(both)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
