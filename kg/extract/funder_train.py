"""Train the funder ranker (:mod:`kg.extract.funder_rank`) on the development gold: ``make funder-model``.

For every report that has gold, the pipeline's own extraction lists each amount's candidate givers
(:func:`kg.extract.funder_rank.recording`); :func:`kg.resolve.resolve` gives each candidate the
canonical name the store would record, and a candidate is a positive example when that name
matches the gold funder of the gold funding with the same amount (±0.5 %), as ``kg eval`` pairs
and matches them (:mod:`kg.eval`; "no funder" is right when the gold funder is null). A
logistic regression (scikit-learn, needed here only: the ``test`` extra) is fitted on every
candidate; the ranker takes the best-scoring candidate of each amount.

The regularisation and the mode (``rank``: the ranker always; ``fallback``: the ranker where the
rules find no giver; ``rank`` only when it beats ``fallback`` by :data:`RANK_MARGIN`, as it costs
more) are chosen by cross-validation that leaves whole reports out (6 folds), and the table of
funder accuracy on the held-out folds — the rules alone, and each mode of ``KG_FUNDER_MODEL`` — is
printed and stored in the model file with the weights. A second, generic model is fitted without
the features of the rules' answer (``RULE_FEATURES``) for the ``generic`` modes: the rules were
written on these reports, so the cross-validation flatters any model that leans on their answer.
The blind split is never read.

    python -m kg.extract.funder_train --gold ../shared/gold --gold eval/dev/gold \\
        data/reports ../shared/dev-reports eval/dev/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from kg.eval import _close, _evidence_overlap, _funder_right, _optional, load_gold
from kg.extract import extract
from kg.extract.funder_rank import FEATURES, RULE_FEATURES, Candidate, feature_vector, model_path, recording
from kg.model import Funding
from kg.normalize import normalize
from kg.read import iter_report_paths, read_report
from kg.resolve import resolve
from kg.segment import split_sentences

#: Inverse regularisation strengths tried (C <= 1: few examples, keep the weights small).
C_GRID = (0.03, 0.1, 0.3, 1.0)
FOLDS = 6
#: How much better (held-out funder accuracy) ``rank`` must be than ``fallback`` to be the default: it
#: lists and scores candidates for every amount (about 4 % of ingest time on the bench corpus), where
#: ``fallback`` does so only where the rules find no giver (next to nothing).
RANK_MARGIN = 0.01


@dataclass
class Amount:
    """One matched funding: its candidates, which of them are right, and whether the rules were."""

    report: str
    candidates: list[Candidate]
    right: list[bool]
    cascade_index: int  # the candidate the rules chose (the "none" candidate when they found none)
    cascade_right: bool


def collect(gold_dirs: list[str], corpus: list[str], limit: int | None = None, log=sys.stderr) -> list[Amount]:
    """The matched fundings of every development report that has gold, with their labelled candidates."""
    gold = load_gold(gold_dirs)
    out: list[Amount] = []
    seen = 0
    for path in iter_report_paths(corpus):
        if not isinstance(path, Path) or path.stem not in gold:
            continue
        if limit is not None and seen >= limit:
            break
        seen += 1
        out.extend(_report_amounts(path, gold[path.stem]))
    print(f"{seen} reports, {len(out)} matched fundings", file=log)
    return out


def _report_amounts(path: Path, gold: dict) -> list[Amount]:
    raw = read_report(path)
    report = normalize(raw)
    sentences = split_sentences(report.text)
    with recording() as recorded:
        x = extract(report, sentences)
    # (the rows of allocation tables come after the prose's fundings and have no candidates: their caption gives them)
    prose = x.fundings[: len(recorded)]
    if len(recorded) > len(x.fundings) or any(f.funder != cascade for f, (_, cascade) in zip(prose, recorded)):
        raise RuntimeError(f"{path}: {len(recorded)} candidate lists do not pair with the first of {len(x.fundings)} fundings")
    # One resolve of every candidate name: the canonical form the store would record.
    probes: list[Funding] = []
    for funding, (candidates, cascade) in zip(prose, recorded):
        probes.append(replace(funding, funder=cascade))
        probes.extend(replace(funding, funder=c.name) for c in candidates)
    canonical = [f.funder for f in resolve(replace(x, fundings=tuple(probes))).fundings]
    golds = [g for g in gold.get("fundings", []) if g.get("amount_cny")]
    used: set[int] = set()
    out: list[Amount] = []
    k = 0
    for funding, (candidates, cascade) in zip(prose, recorded):
        cascade_name, names = canonical[k], canonical[k + 1 : k + 1 + len(candidates)]
        k += 1 + len(candidates)
        amount = Decimal(str(funding.amount_cny))
        hits = [i for i, g in enumerate(golds) if i not in used and _close(amount, g["amount_cny"])]
        if not hits:
            continue
        # paired as kg.eval.score_report pairs them
        hit = max(hits, key=lambda i: (not _optional(golds[i]), _evidence_overlap(x.sentences[funding.evidence.sentence].text, golds[i].get("evidence")),
                                       _funder_right(cascade_name, golds[i].get("funder"), gold), -i))
        used.add(hit)
        if _optional(golds[hit]):
            continue
        gold_funder = golds[hit].get("funder")
        right = [_funder_right(n, gold_funder, gold) for n in names]
        cascade_index = next((i for i, c in enumerate(candidates) if (c.name == cascade if cascade else c.name is None)), None)
        if cascade_index is None:
            continue  # the rules took the giver from another sum (a whole's parts), from no candidate of this amount
        out.append(Amount(gold["id"], candidates, right, cascade_index,
                          _funder_right(cascade_name, gold_funder, gold)))
    return out


def _vector(candidate: Candidate, generic: bool) -> list[float]:
    """The candidate's features; without those of the rules' answer for the generic model."""
    x = feature_vector(candidate)
    if generic:
        for i in _RULE_COLUMNS:
            x[i] = 0.0
    return x


_RULE_COLUMNS = tuple(FEATURES.index(f) for f in RULE_FEATURES)


def _fit(amounts: list[Amount], c: float, generic: bool = False):
    from sklearn.linear_model import LogisticRegression

    xs = [_vector(cand, generic) for a in amounts for cand in a.candidates]
    ys = [int(r) for a in amounts for r in a.right]
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(xs, ys)
    return model


def _pick(model, amount: Amount, generic: bool) -> int:
    scores = model.decision_function([_vector(c, generic) for c in amount.candidates])
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


#: The columns of the cross-validation table: the rules, then each mode of KG_FUNDER_MODEL.
COLUMNS = ("rules", "rank", "fallback", "generic", "generic-fallback")


def cross_validate(amounts: list[Amount], c: float, folds: int = FOLDS, seed: int = 13) -> dict[str, float]:
    """Funder accuracy on held-out reports: the rules, and the ranker of each mode (see ``COLUMNS``)."""
    reports = sorted({a.report for a in amounts})
    random.Random(seed).shuffle(reports)
    fold_of = {r: i % folds for i, r in enumerate(reports)}
    right = dict.fromkeys(COLUMNS, 0)
    for fold in range(folds):
        train = [a for a in amounts if fold_of[a.report] != fold]
        test = [a for a in amounts if fold_of[a.report] == fold]
        if not test or not any(r for a in train for r in a.right):
            continue
        for generic, prefix in ((False, ""), (True, "generic-")):
            model = _fit(train, c, generic)
            for a in test:
                chosen = _pick(model, a, generic)
                rules_none = a.candidates[a.cascade_index].name is None
                right[prefix + "rank" if not generic else "generic"] += a.right[chosen]
                right[prefix + "fallback"] += a.right[chosen] if rules_none else a.cascade_right
        right["rules"] += sum(a.cascade_right for a in test)
    return {k: v / len(amounts) for k, v in right.items()}


def train(amounts: list[Amount], log=sys.stderr) -> dict:
    """Choose C and the mode by cross-validation, fit on everything, and return the model file's content."""
    table = {c: cross_validate(amounts, c) for c in C_GRID}
    print(f"{'C':>6} " + " ".join(f"{k:>16}" for k in COLUMNS) + "   (funder accuracy on held-out reports, "
          f"{len(amounts)} matched fundings, {len({a.report for a in amounts})} reports)", file=log)
    for c, row in table.items():
        print(f"{c:6.2f} " + " ".join(f"{row[k]:16.3f}" for k in COLUMNS), file=log)
    best = {m: max(table, key=lambda c: (table[c][m], -c)) for m in COLUMNS[1:]}
    # rank scores the candidates of every amount, fallback only of those the rules leave without a giver:
    # rank is the default only when it is clearly better. The generic models are never the default: on
    # these reports the rules' answer is right more often than it will be on others, which no CV here shows.
    mode = "rank" if table[best["rank"]]["rank"] >= table[best["fallback"]]["fallback"] + RANK_MARGIN else "fallback"
    c = best[mode]
    if table[c][mode] <= table[c]["rules"]:
        mode = "off"
    model = _fit(amounts, c)
    c_generic = max(best["generic"], best["generic-fallback"], key=lambda k: (max(table[k]["generic"], table[k]["generic-fallback"]), -k))
    generic = _fit(amounts, c_generic, generic=True)
    weights = [0.0 if f in RULE_FEATURES else round(float(w), 6) for f, w in zip(FEATURES, generic.coef_[0])]
    return {
        "about": "Funder ranker of kg.extract.funder_rank: logistic weights over generic candidate features, "
                 "trained by `make funder-model` (kg.extract.funder_train) on the development gold.",
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "C": c,
        "mode": mode,
        "mode_rule": f"rank when its CV accuracy beats fallback's by {RANK_MARGIN} (it costs more), off when "
                     "neither beats the rules; the generic modes only when asked for",
        "generic": {"features": list(FEATURES), "weights": weights, "bias": round(float(generic.intercept_[0]), 6),
                    "C": c_generic, "without": list(RULE_FEATURES)},
        "cv": {"folds": FOLDS, "matched_fundings": len(amounts), "reports": len({a.report for a in amounts}),
               "by_C": {str(k): {m: round(v, 4) for m, v in row.items()} for k, row in table.items()}},
    }


def main(argv: list[str] | None = None) -> int:
    """Collect, cross-validate, fit and write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", action="append", required=True, help="a folder of gold files (repeatable)")
    parser.add_argument("--out", default=str(model_path()), help="where to write the model (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports with gold (a quick run)")
    parser.add_argument("corpus", nargs="+", help="report files or folders")
    args = parser.parse_args(argv)
    if any("blind" in Path(p).parts for p in [*args.gold, *args.corpus]):
        parser.error("the blind split is for scoring only, never for training")
    amounts = collect(args.gold, args.corpus, args.limit)
    data = train(amounts)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (C={data['C']}, mode={data['mode']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
