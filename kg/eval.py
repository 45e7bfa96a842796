"""Score extraction against hand-made gold (the format of ``shared/gold/FORMAT.md``).

Names match after NFKC, simplified script, removal of quote and bracket marks,
dropping a leading 中共/中国共产党, 委员会 → 委 and 人民政府 → 政府; a prediction
also matches when it is a gold name or alias with a longer region prefix
(西宁市城北区X for 城北区X, 西宁市农商银行 for 西宁农商银行). Fundings match on
amount (±0.5 %) within a report.

>>> name_key("中共秦州区委员会") == name_key("秦州区委")
True
>>> names_match("西宁市城北区全域服务中心", "城北区全域服务中心")
True
>>> names_match("农业农村局", "西宁市农业农村局")
False
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError
from kg.gazetteer import load_gazetteer
from kg.normalize import to_simplified

CATEGORIES = ("regions", "actors", "programs", "documents", "fundings", "indicators")
_MARKS = re.compile(r"[“”‘’「」『』\"'《》()（）【】\[\]<>〈〉\s·,，、]")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The form in which two names are compared."""
    key = to_simplified(unicodedata.normalize("NFKC", name))
    key = _MARKS.sub("", key)
    key = re.sub(r"^(中国共产党|中共)", "", key)
    return key.replace("委员会", "委").replace("人民政府", "政府")


@lru_cache(maxsize=65536)
def _strip_regions(key: str) -> tuple[frozenset[str], str]:
    """Leading place names of a name (as division keys) and what follows them."""
    g = load_gazetteer()
    keys: set[str] = set()
    rest = key
    while True:
        for length in range(min(len(rest), 12), 1, -1):
            found = [d for d in g.by_name(rest[:length]) if d.level != "village"]
            if found:
                keys.update(d.key for d in found)
                rest = rest[length:]
                break
        else:
            return frozenset(keys), rest


def names_match(pred: str, gold: str) -> bool:
    """True when ``pred`` names what ``gold`` names, perhaps with a longer region prefix."""
    p, q = name_key(pred), name_key(gold)
    if not p or not q:
        return False
    if p == q:
        return True
    if p.endswith(q):
        extra_keys, extra_rest = _strip_regions(p[: -len(q)])
        if not extra_rest and extra_keys:
            return True
    p_regions, p_rest = _strip_regions(p)
    q_regions, q_rest = _strip_regions(q)
    return bool(q_regions) and p_rest == q_rest and bool(p_rest) and _covers(p_regions, q_regions)


def _covers(pred_regions: frozenset[str], gold_regions: frozenset[str]) -> bool:
    """The prediction names every place the gold prefix names (and maybe more)."""
    return gold_regions <= pred_regions


@dataclass
class Count:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Count) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    """Right out of checked (actor type, region level, funder)."""

    right: int = 0
    total: int = 0

    def add(self, other: Ratio) -> None:
        self.right += other.right
        self.total += other.total

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class ReportScore:
    """Scores of one report (or the sum over all)."""

    report: str
    counts: dict[str, Count] = field(default_factory=lambda: {c: Count() for c in CATEGORIES})
    actor_type: Ratio = field(default_factory=Ratio)
    region_level: Ratio = field(default_factory=Ratio)
    funder: Ratio = field(default_factory=Ratio)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: ReportScore) -> None:
        for c in CATEGORIES:
            self.counts[c].add(other.counts[c])
        self.actor_type.add(other.actor_type)
        self.region_level.add(other.region_level)
        self.funder.add(other.funder)

    def as_dict(self) -> dict:
        out: dict = {"report": self.report}
        for c in CATEGORIES:
            k = self.counts[c]
            out[c] = {"tp": k.tp, "fp": k.fp, "fn": k.fn, "precision": round(k.precision, 4),
                      "recall": round(k.recall, 4), "f1": round(k.f1, 4)}
        out["actor_type_accuracy"] = round(self.actor_type.value, 4)
        out["region_level_accuracy"] = round(self.region_level.value, 4)
        out["funder_accuracy"] = round(self.funder.value, 4)
        if self.errors:
            out["errors"] = self.errors
        return out


def _gold_names(entry: dict, key: str = "name") -> list[str]:
    return [entry[key], *entry.get("aliases", [])]


def _optional(entry: dict) -> bool:
    """A judgement call of the gold (FORMAT.md): neither a hit nor a miss."""
    return entry.get("optional") is True


def _match_entities(preds: list[dict], golds: list[dict], key: str, errors: list[str]) -> tuple[Count, list[tuple[dict, dict]]]:
    count = Count()
    matched: dict[int, dict] = {}
    pairs = []
    for p in preds:
        hits = [i for i, g in enumerate(golds) if any(names_match(p[key], n) for n in _gold_names(g, key))]
        # A required entry is taken before an optional one the same name also matches.
        free = sorted((i for i in hits if i not in matched), key=lambda i: _optional(golds[i]))
        if free:
            matched[free[0]] = p
            if not _optional(golds[free[0]]):
                pairs.append((p, golds[free[0]]))
                count.tp += 1
        elif hits and all(_optional(golds[i]) for i in hits):
            continue  # a second name for an optional entry costs nothing either
        else:
            count.fp += 1
            errors.append(f"FP {p[key]}" + (" (found twice)" if hits else ""))
    for i, g in enumerate(golds):
        if i not in matched and not _optional(g):
            count.fn += 1
            errors.append(f"FN {g[key]}")
    return count, pairs


def score_report(pred: dict[str, list[dict]], gold: dict) -> ReportScore:
    """Score one report's predictions (rows as the canned queries give them) against its gold."""
    score = ReportScore(gold["id"])
    for cat, key in (("regions", "name"), ("actors", "name"), ("programs", "name"), ("documents", "title")):
        errs: list[str] = []
        count, pairs = _match_entities(pred.get(cat, []), gold.get(cat, []), key, errs)
        score.counts[cat] = count
        score.errors[cat] = errs
        for p, g in pairs:
            if cat == "actors":
                score.actor_type.total += 1
                score.actor_type.right += p.get("type") == g.get("type")
            if cat == "regions":
                score.region_level.total += 1
                score.region_level.right += p.get("level") == g.get("level")
    golds = [g for g in gold.get("fundings", []) if g.get("amount_cny")]
    preds = [p for p in pred.get("fundings", []) if p.get("amount_cny")]
    count, used, errs = Count(), set(), []
    for p in preds:
        amount = Decimal(str(p["amount_cny"]))
        hits = [i for i, g in enumerate(golds) if i not in used
                and _close(amount, g["amount_cny"])]
        if not hits:
            count.fp += 1
            errs.append(f"FP {amount}")
            continue
        # Equal amounts (60万元 twice): pair by evidence text, then by funder.
        hit = max(hits, key=lambda i: (not _optional(golds[i]),
                                       _evidence_overlap(p.get("evidence"), golds[i].get("evidence")),
                                       _funder_right(p.get("funder"), golds[i].get("funder"), gold), -i))
        used.add(hit)
        g = golds[hit]
        if _optional(g):
            continue
        count.tp += 1
        score.funder.total += 1
        right = _funder_right(p.get("funder"), g.get("funder"), gold)
        score.funder.right += right
        if not right:
            errs.append(f"funder {amount}: {p.get('funder')!r} for {g.get('funder')!r}")
    for i, g in enumerate(golds):
        if i not in used and not _optional(g):
            count.fn += 1
            errs.append(f"FN {g['amount_cny']} {g.get('evidence', '')[:30]}")
    score.counts["fundings"] = count
    score.errors["fundings"] = errs
    if "indicators" in gold:  # only gold made with indicators scores them (issue 16)
        score.counts["indicators"], score.errors["indicators"] = _score_indicators(
            pred.get("indicators", []), gold["indicators"], gold)
    return score


def _names_gold_entity(pred: str, gold_name: str, gold: dict, categories: tuple[str, ...]) -> bool:
    """The predicted name names ``gold_name``, directly or through an alias of its gold entity."""
    return names_match(pred, gold_name) or any(
        names_match(pred, n) for cat in categories for e in gold.get(cat, [])
        if names_match(gold_name, e["name"]) for n in _gold_names(e))


def _close(value: Decimal, gold_value: object) -> bool:
    """Within ±0.5 % of the gold value (FORMAT.md)."""
    g = Decimal(str(gold_value))
    return abs(value - g) <= Decimal("0.005") * abs(g)


def _score_indicators(preds: list[dict], golds: list[dict], gold: dict) -> tuple[Count, list[str]]:
    """Match on subject, indicator code, value (±0.5 %) and year."""
    count, used, errs = Count(), set(), []
    for p in preds:
        try:
            value = Decimal(str(p["value"]))
        except (KeyError, ArithmeticError):
            continue
        year = str(p.get("year") or "")
        hits = [i for i, g in enumerate(golds) if i not in used
                and g.get("indicator") == p.get("indicator") and str(g.get("year") or "") == year
                and _close(value, g["value"])
                and p.get("subject") and g.get("subject")
                and _names_gold_entity(p["subject"], g["subject"], gold, ("regions", "actors", "programs"))]
        if not hits:
            count.fp += 1
            errs.append(f"FP {p.get('subject')} {p.get('indicator')} {value} {year}")
            continue
        hit = min(hits, key=lambda i: _optional(golds[i]))
        used.add(hit)
        if not _optional(golds[hit]):
            count.tp += 1
    for i, g in enumerate(golds):
        if i not in used and not _optional(g):
            count.fn += 1
            errs.append(f"FN {g.get('subject')} {g.get('indicator')} {g.get('value')} {g.get('year')}")
    return count, errs


def _evidence_overlap(pred: str | None, gold: str | None) -> int:
    if not pred or not gold:
        return 0
    p, g = name_key(pred), name_key(gold)
    return 2 if (g in p or p in g) else 0


def _funder_right(pred: str | None, gold_funder: str | None, gold: dict) -> bool:
    """Both empty, or the predicted funder names the gold funder (or one of its aliases)."""
    if not gold_funder or not pred:
        return not gold_funder and not pred
    return _names_gold_entity(pred, gold_funder, gold, ("actors",))


@dataclass
class EvalResult:
    """Scores per report and overall."""

    reports: list[ReportScore]
    overall: ReportScore
    #: reports that could not be ingested ("path: reason"); they score as all missed
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"overall": self.overall.as_dict(), "reports": [r.as_dict() for r in self.reports]}


def load_gold(gold_dirs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> dict[str, dict]:
    """Gold files of one folder or several, by report id.

    >>> len(load_gold(Path(__file__).resolve().parent.parent / "data" / "gold"))
    2
    """
    dirs = [gold_dirs] if isinstance(gold_dirs, (str, os.PathLike)) else list(gold_dirs)
    out = {}
    for gold_dir in dirs:
        if not Path(gold_dir).is_dir():
            raise KgError(f"{gold_dir}: no such folder of gold files")
        for path in sorted(Path(gold_dir).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise KgError(f"{path}: not a readable gold file ({exc})") from exc
            out[data.get("id", path.stem)] = data
    return out


def score_predictions(predictions: dict[str, dict[str, list[dict]]], gold: dict[str, dict]) -> EvalResult:
    """Score predictions of several reports; reports without gold are left out."""
    reports = [score_report(predictions.get(rid, {}), g) for rid, g in gold.items() if rid in predictions]
    overall = ReportScore("overall")
    for r in reports:
        overall.add(r)
    return EvalResult(reports, overall)


def predictions_from_store(store: object) -> dict[str, dict[str, list[dict]]]:
    """Rows of the canned queries, grouped by report, in the shape gold uses."""
    from kg.query import load_query, run_query

    out: dict[str, dict[str, list[dict]]] = {}

    def rows(name: str) -> Iterable[dict]:
        result = run_query(store, load_query(name))
        for row in result.rows:
            yield dict(zip(result.columns, row))

    for r in rows("regions"):
        out.setdefault(r["report"], {}).setdefault("regions", []).append(r)
    for r in rows("actors"):
        out.setdefault(r["report"], {}).setdefault("actors", []).append(r)
    for r in rows("programs"):
        out.setdefault(r["report"], {}).setdefault("programs", []).append(r)
    for r in rows("documents"):
        out.setdefault(r["report"], {}).setdefault("documents", []).append(r)
    for r in rows("who-funds-what"):
        out.setdefault(r["report"], {}).setdefault("fundings", []).append(r)
    for r in rows("indicators"):
        out.setdefault(r["report"], {}).setdefault("indicators", []).append(r)
    return out


def evaluate(gold_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
             paths: Iterable[str | os.PathLike[str]]) -> EvalResult:
    """Ingest reports into a temporary store, run the canned queries and score them."""
    from kg.pipeline import ingest
    from kg.read import iter_report_paths
    from kg.store import open_store

    gold = load_gold(gold_dir)
    paths = list(paths)
    attempted = {p.stem for p in iter_report_paths(paths) if isinstance(p, Path)}
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        with open_store(Path(tmp) / "store") as store:
            summary = ingest(paths, store)
            predictions = predictions_from_store(store)
    for rid in attempted:
        predictions.setdefault(rid, {})  # a report that failed scores as all missed
    result = score_predictions(predictions, gold)
    result.failures = [str(f) for f in summary.failures]
    return result


def format_table(result: EvalResult) -> str:
    """Scores as a plain-text table: one row per report and category, then overall."""
    lines = [f"{'report':<40} {'category':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for r in [*result.reports, result.overall]:
        for c in CATEGORIES:
            k = r.counts[c]
            lines.append(f"{r.report:<40} {c:<10} {k.precision:6.3f} {k.recall:6.3f} {k.f1:6.3f} {k.tp:4d} {k.fp:4d} {k.fn:4d}")
    o = result.overall
    lines.append(f"{'overall':<40} actor type accuracy {o.actor_type.value:.3f} ({o.actor_type.right}/{o.actor_type.total}), "
                 f"region level accuracy {o.region_level.value:.3f} ({o.region_level.right}/{o.region_level.total}), "
                 f"funder accuracy {o.funder.value:.3f} ({o.funder.right}/{o.funder.total})")
    return "\n".join(lines)


def format_summary(result: EvalResult) -> str:
    """Only the overall rows: what a blind split may show (no report names, no errors)."""
    lines = format_table(result).splitlines()
    return "\n".join([lines[0], *(line for line in lines[1:] if line.startswith("overall"))]
                     + [f"reports scored: {len(result.reports)}"])


def format_errors(result: EvalResult) -> str:
    """False positives, false negatives and wrong funders, per report and category."""
    lines = []
    for r in result.reports:
        for cat in CATEGORIES:
            for err in r.errors.get(cat, []):
                lines.append(f"{r.report}\t{cat}\t{err}")
    return "\n".join(lines)
