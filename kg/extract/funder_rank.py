"""A learned ranker over the possible givers of each amount (issue 13, item 7).

For every amount :func:`kg.extract.fundings.find_fundings` keeps, :class:`FunderCandidates`
lists who could have given it: each actor named in the amount's paragraph (its nearest
mention), the budget levels and pairing money named there (中央财政, 省级财政, 苏陕资金), the
report's partner places, places that open the sentence, the actors and funder phrase of the
section heading and of the title, the rule cascade's own answer, and "no funder". Each
candidate gets a few generic features (what it is, where it stands from the amount, whether a
giving verb or a receiver mark stands beside it, whether it opens its sentence …; never a
name), and a logistic model trained on the project's development gold
(:mod:`kg.extract.funder_train`, ``make funder-model``) scores them. The weights ship as
``data/models/funder.json``: inference is a dot product, with no library and no download.

``KG_FUNDER_MODEL`` chooses how the ranker is used: ``off`` (the rules alone), ``rank`` (the
ranker's best candidate), ``fallback`` (the ranker only where the rules find no giver). Unset,
the mode the model file names (the best of the cross-validation) applies.

>>> model = load_model()
>>> set(model.features) == set(FEATURES)
True
"""

from __future__ import annotations

import json
import math
import os
import re
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from kg.extract.common import Finds, strip_time_phrase
from kg.model import Sentence
from kg.resources import project_root

#: Actor types as they appear in features (``t_<short>``).
_TYPE_FEATURE = {
    "FinancialInstitution": "t_bank", "GovernmentAgency": "t_gov", "PartyOrganization": "t_party",
    "Enterprise": "t_firm", "Cooperative": "t_coop", "SocialOrganization": "t_social", "Person": "t_person",
}

#: Every feature the ranker computes, in the order of the model file's weights.
FEATURES: tuple[str, ...] = (
    # what the candidate is
    "t_bank", "t_gov", "t_party", "t_firm", "t_coop", "t_social", "t_person",
    "t_budget", "t_place", "t_partner", "t_other", "none",
    "finance", "loan_bank", "loan_other", "fund_finance",
    # where its nearest mention stands from the amount
    "s_clause", "s_sentence", "s_after", "s_prev_sentence", "s_paragraph", "s_heading", "s_title", "s_far",
    "log_distance", "log_between", "nearest",
    # the words beside it
    "gives_after", "gives_between", "receiver_before", "receiver_in_clause", "by_after",
    # its role in the report
    "subject_sentence", "subject_clause", "subject_paragraph", "in_title", "log_mentions",
    "cascade", "cascade_none", "none_no_giver_near", "partner_money", "one_partner",
)

#: The modes of ``KG_FUNDER_MODEL``.
MODES = ("off", "rank", "fallback")


@dataclass(frozen=True)
class FunderModel:
    """Weights of the logistic ranker and the mode cross-validation chose."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mode: str

    def score(self, features: dict[str, float]) -> float:
        """The model's logit for one candidate."""
        return self.bias + sum(w * features.get(f, 0.0) for f, w in zip(self.features, self.weights))


def model_path() -> Path:
    """Where the shipped weights are (``data/models/funder.json``)."""
    return project_root() / "data" / "models" / "funder.json"


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> FunderModel:
    """The ranker's weights (the shipped file unless ``path`` names another)."""
    data = json.loads(Path(path or model_path()).read_text(encoding="utf-8"))
    return FunderModel(tuple(data["features"]), tuple(float(w) for w in data["weights"]), float(data["bias"]),
                       data.get("mode", "fallback"))


def funder_mode() -> str:
    """``KG_FUNDER_MODEL`` if it names a mode, else the model file's own (``off`` when there is none).

    >>> os.environ["KG_FUNDER_MODEL"] = "off"; funder_mode()
    'off'
    >>> del os.environ["KG_FUNDER_MODEL"]
    """
    mode = os.environ.get("KG_FUNDER_MODEL", "").strip().lower()
    if mode in MODES:
        return mode
    try:
        return load_model().mode
    except (OSError, ValueError, KeyError):
        return "off"


@dataclass(frozen=True)
class Candidate:
    """A possible giver of one amount: the name to record (None: no funder) and its features."""

    name: str | None
    features: dict[str, float]


def choose(candidates: list[Candidate], model: FunderModel) -> Candidate:
    """The candidate the model scores highest (the first of equals).

    >>> m = FunderModel(("t_bank",), (2.0,), 0.0, "rank")
    >>> choose([Candidate(None, {"none": 1.0}), Candidate("某银行", {"t_bank": 1.0})], m).name
    '某银行'
    """
    return max(candidates, key=lambda c: model.score(c.features))


# ------------------------------------------------------------------ recording for training

_recorded: list[tuple[list[Candidate], str | None]] | None = None


@contextmanager
def recording() -> Iterator[list[tuple[list[Candidate], str | None]]]:
    """Collect (candidates, the cascade's funder) of every funding found inside the block, in order.

    Training (:mod:`kg.extract.funder_train`) uses it; ingest never does.
    """
    global _recorded
    saved, _recorded = _recorded, []
    try:
        yield _recorded
    finally:
        _recorded = saved


def record(candidates: list[Candidate], cascade: str | None) -> None:
    """Keep one funding's candidates when :func:`recording` is on."""
    if _recorded is not None:
        _recorded.append((candidates, cascade))


def is_recording() -> bool:
    """True inside :func:`recording`."""
    return _recorded is not None


# ------------------------------------------------------------------ candidates

# A receiver is named right after these (向X发放, 为X授信): the candidate receives, not gives.
_RECEIVER_BEFORE = re.compile(r"(?:向|给|为|对|帮助|支持|扶持|帮扶)$")
# …a receiver further on in the clause (为该村的龙头企业X和农户授信)
_RECEIVER_IN_CLAUSE = re.compile(r"(?:向|给|为)[^,;。]{1,20}$")
# A giver written after the amount: …500万元由县财政安排, …贷款来自某银行.
_BY_BEFORE = re.compile(r"(?:由|来自|系)$")
_CLAUSE_MARK = re.compile(r"[,;:。!?]")

_SCOPES = ("s_clause", "s_sentence", "s_after", "s_prev_sentence", "s_paragraph", "s_heading", "s_title", "s_far")
_DISTANCE_SCALE = math.log(1000.0)


@lru_cache(maxsize=1)
def _gives_pattern() -> re.Pattern[str]:
    """Any word that speaks of giving money (data/lexicon/money_words.tsv), as one pattern."""
    from kg.extract.fundings import money_words

    gives = sorted(money_words()[0], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, gives)))


class FunderCandidates:
    """The candidate givers of a report's amounts; the report's mentions are indexed once."""

    def __init__(self, text: str, sentences: tuple[Sentence, ...], finds: Finds, givers: Any,
                 title: Sentence | None) -> None:
        from kg.extract.fundings import _FUNDER_PHRASES, _LEVEL_FUNDER, _LEVEL_MONEY
        from kg.gazetteer import load_gazetteer

        self.text = text
        self.sentences = sentences
        self.finds = finds
        self.givers = givers
        self.mentions: list[tuple[int, int, str, str, int]] = sorted(
            (m.start, m.end, name, a["type"], m.sentence) for name, a in finds.actors.items() for m in a["mentions"])
        self.starts = [m[0] for m in self.mentions]
        self.counts = {name: len(a["mentions"]) for name, a in finds.actors.items()}
        self.title = title
        self.title_names = {m[2] for m in self._between(title.start, title.end)} if title else set()
        # where each sentence's paragraph begins (at most _PARAGRAPH_REACH sentences back)
        self.paragraph_start: list[int] = []
        first = 0
        for k, sent in enumerate(sentences):
            if k and ("\n" in text[sentences[k - 1].end : sent.start] or re.search(r"\n\s*$", sentences[k - 1].text)):
                first = k
            self.paragraph_start.append(first)
        # budget levels and pairing money, with the name the cascade would record for each
        phrases: list[tuple[int, int, str]] = []
        for m in _FUNDER_PHRASES.finditer(text):
            name = givers.pairing_partner(m.group(0))
            if name:
                phrases.append((m.start(), m.end(), name))
        for m in _LEVEL_MONEY.finditer(text):
            group = 1 if m.group(1) else 2
            phrases.append((m.start(group), m.end(group), _LEVEL_FUNDER[m.group(group)]))
        self.phrases = sorted(set(phrases))
        self.phrase_starts = [p[0] for p in self.phrases]
        places = [(m.start, m.end, r["name"]) for r in finds.regions.values() if r["level"] != "village"
                  for m in r["mentions"]]
        self.places = sorted(places)
        self.place_starts = [p[0] for p in self.places]
        g = load_gazetteer()
        self.partner_forms = {p: [p, *(d.short for d in g.by_name(p) if d.short)] for p in givers.partners}
        self.sentence_heads = [len(s.text) - len(strip_time_phrase(s.text)) for s in sentences]

    def _between(self, start: int, end: int) -> list[tuple[int, int, str, str, int]]:
        return self.mentions[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def candidates(self, sent: Sentence, clause_start: int, amount_start: int, amount_end: int, kind: str,
                   cascade: str | None, heading: Sentence | None, section_funder: str | None,
                   title_funder: str | None) -> list[Candidate]:
        """Every possible giver of the amount at ``amount_start`` (offsets within ``sent``)."""
        text, s = self.text, sent.text
        abs_amount, abs_end = sent.start + amount_start, sent.start + amount_end
        abs_clause = sent.start + clause_start
        first = max(self.paragraph_start[sent.index], sent.index - 12)
        lo = bisect_left(self.starts, self.sentences[first].start)
        window = self.mentions[lo : bisect_left(self.starts, sent.end)]
        before_amount = s[:amount_start]
        gives = _gives_pattern()
        subject_paragraph = self.givers._paragraph_subject(sent)
        out: dict[str, dict[str, float]] = {}

        def keep(name: str, feats: dict[str, float]) -> None:
            seen = out.get(name)
            if seen is None or _closeness(feats) > _closeness(seen):
                out[name] = feats

        n_before = bisect_left(self.starts, abs_amount)
        for index, (start, end, name, typ, si) in enumerate(window, lo):
            if start >= abs_amount and (si != sent.index or start < abs_end):
                continue  # after the amount only within its own sentence
            f = self._place_features(start, end, si, sent, abs_clause, abs_amount, abs_end, before_amount, gives)
            f[_TYPE_FEATURE.get(typ, "t_other")] = 1.0
            f["log_between"] = math.log1p(max(0, n_before - index - 1)) if start < abs_amount else 0.0
            f["nearest"] = float(start < abs_amount and n_before - index - 1 == 0)
            f["subject_paragraph"] = float(name == subject_paragraph)
            f["in_title"] = float(name in self.title_names)
            f["log_mentions"] = math.log1p(self.counts.get(name, 1)) / math.log(10)
            f["finance"] = float("财政" in name)
            f["loan_bank"] = float(kind == "loan" and typ == "FinancialInstitution")
            f["loan_other"] = float(kind == "loan" and typ != "FinancialInstitution")
            f["fund_finance"] = float(kind != "loan" and "财政" in name)
            keep(name, f)
        lo = bisect_left(self.phrase_starts, self.sentences[first].start)
        for start, end, name in self.phrases[lo : bisect_left(self.phrase_starts, sent.end)]:
            if start >= abs_amount and start < abs_end:
                continue
            si = sent.index if start >= sent.start else _sentence_index(self.sentences, start, first)
            f = self._place_features(start, end, si, sent, abs_clause, abs_amount, abs_end, before_amount, gives)
            partner = name in self.partner_forms
            f["t_partner" if partner else "t_budget"] = 1.0
            f["finance"] = float(not partner)
            f["loan_other"] = float(kind == "loan")
            f["fund_finance"] = float(kind != "loan" and not partner)
            keep(name, f)
        lo = bisect_left(self.place_starts, sent.start)
        for start, end, name in self.places[lo : bisect_left(self.place_starts, abs_amount)]:
            f = self._place_features(start, end, sent.index, sent, abs_clause, abs_amount, abs_end, before_amount, gives)
            f["t_place"] = 1.0
            f["loan_other"] = float(kind == "loan")
            if name not in out:
                keep(name, f)
        clause_text = s[clause_start:amount_start]
        after = s[amount_start : amount_start + 40]
        from kg.extract.fundings import _PAIRING_MONEY

        pairing = bool(_PAIRING_MONEY.search(clause_text + after))
        for partner, forms in self.partner_forms.items():
            f = dict(out.get(partner, {}))
            if not f:
                f = {"s_far": 1.0, "log_distance": 1.0}
                if any(form in clause_text for form in forms):
                    f = {"s_clause": 1.0, "log_distance": 0.3}
                elif any(form in before_amount for form in forms):
                    f = {"s_sentence": 1.0, "log_distance": 0.5}
            f.pop("t_budget", None)
            f["t_partner"] = 1.0
            f["partner_money"] = float(pairing)
            f["one_partner"] = float(len(self.partner_forms) == 1)
            f["loan_other"] = float(kind == "loan")
            out[partner] = f
        extra: list[tuple[str, str, str]] = []  # (name, type feature, scope)
        if heading is not None:
            extra += [(m[2], _TYPE_FEATURE.get(m[3], "t_other"), "s_heading")
                      for m in self._between(heading.start, heading.end)]
        if section_funder:
            extra.append((section_funder, "t_budget", "s_heading"))
        for name in self.title_names:
            extra.append((name, _TYPE_FEATURE.get(self.finds.actors[name]["type"], "t_other"), "s_title"))
        if title_funder:
            extra.append((title_funder, "t_budget", "s_title"))
        for name, type_feature, scope in extra:
            if name in out:
                continue
            out[name] = {type_feature: 1.0, scope: 1.0, "log_distance": 1.0, "in_title": float(scope == "s_title"),
                         "finance": float("财政" in name or type_feature == "t_budget"),
                         "loan_bank": float(kind == "loan" and type_feature == "t_bank"),
                         "loan_other": float(kind == "loan" and type_feature != "t_bank"),
                         "fund_finance": float(kind != "loan" and ("财政" in name or type_feature == "t_budget")),
                         "subject_paragraph": float(name == subject_paragraph),
                         "log_mentions": math.log1p(self.counts.get(name, 1)) / math.log(10)}
        if cascade is not None and cascade not in out:
            out[cascade] = {"t_other": 1.0, "s_far": 1.0, "log_distance": 1.0}
        if cascade is not None:
            out[cascade]["cascade"] = 1.0
        near = any(f.get("s_clause") or f.get("s_sentence") or f.get("s_after") for f in out.values())
        found = [Candidate(name, feats) for name, feats in out.items()]
        found.append(Candidate(None, {"none": 1.0, "cascade_none": float(cascade is None),
                                      "none_no_giver_near": float(not near)}))
        return found

    def _place_features(self, start: int, end: int, si: int, sent: Sentence, abs_clause: int, abs_amount: int,
                        abs_end: int, before_amount: str, gives: re.Pattern[str]) -> dict[str, float]:
        """Where a mention stands from the amount and what words stand beside it."""
        text = self.text
        f: dict[str, float] = {}
        own = self.sentences[si]
        if si == sent.index and start >= abs_end:
            f["s_after"] = 1.0
            distance = start - abs_end
            f["by_after"] = float(bool(_BY_BEFORE.search(text[max(sent.start, start - 3) : start])))
        else:
            distance = max(0, abs_amount - end)
            if si == sent.index:
                f["s_clause" if start >= abs_clause else "s_sentence"] = 1.0
                f["gives_between"] = float(bool(gives.search(text, end, abs_amount)))
            else:
                f["s_prev_sentence" if si == sent.index - 1 else "s_paragraph"] = 1.0
                f["gives_between"] = float(bool(gives.search(before_amount)))
        f["log_distance"] = min(1.0, math.log1p(distance) / _DISTANCE_SCALE)
        tail = text[end : min(own.end, end + 8)]
        cut = _CLAUSE_MARK.search(tail)
        f["gives_after"] = float(bool(gives.search(tail[: cut.start()] if cut else tail)))
        head = text[max(own.start, start - 4) : start]
        f["receiver_before"] = float(bool(_RECEIVER_BEFORE.search(head)))
        clause_head = text[max(own.start, start - 24) : start]
        cut = None
        for cut in _CLAUSE_MARK.finditer(clause_head):
            pass
        clause_head = clause_head[cut.end() :] if cut else clause_head
        f["receiver_in_clause"] = float(bool(_RECEIVER_IN_CLAUSE.search(clause_head))
                                        and not gives.search(clause_head))
        f["subject_sentence"] = float(start - own.start == self.sentence_heads[si] or start == own.start)
        f["subject_clause"] = float(not clause_head.strip() or start == own.start)
        return f


def _closeness(features: dict[str, float]) -> tuple[int, float]:
    """Which of two mentions of one name is the amount's: the one before it, then the nearer."""
    return (0 if features.get("s_after") else 1, -features.get("log_distance", 1.0))


def _sentence_index(sentences: tuple[Sentence, ...], pos: int, first: int) -> int:
    """The index of the sentence that holds ``pos`` (searching from ``first``)."""
    k = first
    while k + 1 < len(sentences) and sentences[k + 1].start <= pos:
        k += 1
    return k


def feature_vector(candidate: Candidate, features: tuple[str, ...] = FEATURES) -> list[float]:
    """The candidate's features in the order of ``features``.

    >>> feature_vector(Candidate(None, {"none": 1.0}), ("t_bank", "none"))
    [0.0, 1.0]
    """
    return [candidate.features.get(f, 0.0) for f in features]
