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
ranker's best candidate), ``fallback`` (the ranker only where the rules find no giver), and
``generic`` / ``generic-fallback``, the same with a model that does not see the rules' answer
(:data:`RULE_FEATURES`). Unset, :data:`DEFAULT_MODE` applies: the rules, and the generic model where
they find no giver, the mode that beat them on the blind split (below); the mode the model file names
is only what cross-validation on the development reports chose.

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

from kg.extract.common import RECEIVER_BEFORE, Finds, strip_time_phrase
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

#: Features that carry the rule cascade's answer (a candidate only it names is ``t_other``). The
#: generic model is trained and applied without them: the rules were written on the development
#: reports, so their answer is more often right there than on reports nobody read.
RULE_FEATURES = ("cascade", "cascade_none", "t_other")

#: The modes of ``KG_FUNDER_MODEL``: the rules alone; the ranker on every amount or only where the
#: rules find no giver; the same two with the generic model (no feature of the rules' answer).
MODES = ("off", "rank", "fallback", "generic", "generic-fallback")


@dataclass(frozen=True)
class FunderModel:
    """Weights of the logistic ranker and the mode cross-validation chose."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mode: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight_of", dict(zip(self.features, self.weights)))

    def score(self, features: dict[str, float]) -> float:
        """The model's logit for one candidate (its features are few: a sum over them)."""
        weight = self.weight_of
        return self.bias + sum(weight.get(f, 0.0) * v for f, v in features.items())


def model_path() -> Path:
    """Where the shipped weights are (``data/models/funder.json``)."""
    return project_root() / "data" / "models" / "funder.json"


@lru_cache(maxsize=8)
def load_model(path: str | None = None, generic: bool = False) -> FunderModel:
    """The ranker's weights (the shipped file unless ``path`` names another; ``generic``: the model without the rules' answer)."""
    data = json.loads(Path(path or model_path()).read_text(encoding="utf-8"))
    mode = data.get("mode", "fallback")
    if generic:
        data = data["generic"]
    return FunderModel(tuple(data["features"]), tuple(float(w) for w in data["weights"]), float(data["bias"]), mode)


def model_for(mode: str) -> FunderModel:
    """The weights a mode uses.

    >>> model_for("generic").weight_of["cascade"], model_for("rank").weight_of["cascade"] > 0
    (0.0, True)
    """
    return load_model(generic=mode.startswith("generic"))


def ranks_every_amount(mode: str) -> bool:
    """``rank`` and ``generic`` choose every funder; the fallback modes only where the rules find none."""
    return mode in ("rank", "generic")


#: The mode when ``KG_FUNDER_MODEL`` names none. A learned component is used by default only where it
#: beats the rules on reports nobody tuned to. On the first blind split (41 reports, 2026-12-07) it did
#: not (0.416 off, fallback and rank alike, 0.347 generic, 0.376 generic-fallback). On the blind split of
#: 189 reports (488 matched fundings, model trained on the 248 development reports) funder accuracy was
#: 0.588 off, rank and fallback alike, 0.643 generic and 0.631 generic-fallback: the rules' answer where
#: they find a giver, and where they settle that no one funder gives (several budgets, a total of several
#: sources; FORMAT.md), the model that does not see the rules' answer where they find none. On the
#: development reports, which the rules were written on, the same mode gives 0.769 against the rules'
#: 0.792: a report the rules were fitted to is where their "no giver" is right.
DEFAULT_MODE = "generic-fallback"


def funder_mode() -> str:
    """``KG_FUNDER_MODEL`` if it names a mode, else :data:`DEFAULT_MODE`.

    >>> os.environ["KG_FUNDER_MODEL"] = "off"; funder_mode()
    'off'
    >>> del os.environ["KG_FUNDER_MODEL"]
    """
    mode = os.environ.get("KG_FUNDER_MODEL", "").strip().lower()
    return mode if mode in MODES else DEFAULT_MODE


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


def amend(index: int, cascade: str | None) -> None:
    """The rules changed the funder of the ``index``-th funding recorded (a giver a later sentence names)."""
    if _recorded is not None and index < len(_recorded):
        _recorded[index] = (_recorded[index][0], cascade)


def forget(index: int) -> None:
    """The rules dropped the ``index``-th funding recorded (a title's rounded sum the body states exactly)."""
    if _recorded is not None and index < len(_recorded):
        del _recorded[index]


def is_recording() -> bool:
    """True inside :func:`recording`."""
    return _recorded is not None


# ------------------------------------------------------------------ candidates

# …a receiver further on in the clause (为该村的龙头企业X和农户授信)
_RECEIVER_IN_CLAUSE = re.compile(r"(?:向|给|为)[^,;。]{1,20}$")
# A giver written after the amount: …500万元由县财政安排, …贷款来自某银行.
_BY_BEFORE = re.compile(r"(?:由|来自|系)$")
_CLAUSE_MARK = re.compile(r"[,;:。!?]")

# Every budget level or pairing money phrase (fundings._FUNDER_PHRASES, _LEVEL_MONEY) holds one of these.
_PHRASE_CUES = ("财政", "资金", "部委", "预算")
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
        from kg.extract.fundings import _PAIRING_MONEY
        from kg.gazetteer import load_gazetteer

        self.text = text
        self.sentences = sentences
        self.finds = finds
        self.givers = givers
        self._pairing_money = _PAIRING_MONEY
        self.mentions: list[tuple[int, int, str, str, int]] = sorted(
            (m.start, m.end, name, a["type"], m.sentence) for name, a in finds.actors.items() for m in a["mentions"])
        self.starts = [m[0] for m in self.mentions]
        self.counts = {name: len(a["mentions"]) for name, a in finds.actors.items()}
        self.title = title
        self.title_names = {m[2] for m in self._between(title.start, title.end)} if title else set()
        self._phrases: dict[int, list[tuple[int, int, str]]] = {}  # sentence index -> its funder phrases
        self._starts_of: dict[int, int] = {}  # sentence index -> first sentence of its paragraph
        self._heads: dict[int, int] = {}  # sentence index -> length of its opening time phrase
        self._beside: dict[tuple[int, int], dict[str, float]] = {}  # mention span -> its _words_beside
        self._static: dict[tuple[int, int, str], dict[str, float]] = {}  # actor mention -> its _actor_features
        self._paragraph_subjects: dict[int, str | None] = {}  # sentence index -> givers' paragraph subject
        places = [(m.start, m.end, r["name"]) for r in finds.regions.values() if r["level"] != "village"
                  for m in r["mentions"]]
        self.places = sorted(places)
        self.place_starts = [p[0] for p in self.places]
        g = load_gazetteer()
        self.partner_forms = {p: [p, *(d.short for d in g.by_name(p) if d.short)] for p in givers.partners}

    def _paragraph_start(self, sent: Sentence) -> int:
        """The first sentence of ``sent``'s paragraph, at most 12 sentences back."""
        k = self._starts_of.get(sent.index)
        if k is not None:
            return k
        k = sent.index
        while k > max(0, sent.index - 12):
            prev = self.sentences[k - 1]
            if "\n" in self.text[prev.end : self.sentences[k].start] or "\n" in prev.text[len(prev.text.rstrip()) :]:
                break
            k -= 1
        self._starts_of[sent.index] = k
        return k

    def _phrases_in(self, index: int) -> list[tuple[int, int, str]]:
        """Budget levels and pairing money in one sentence, with the name the cascade would record for each."""
        found = self._phrases.get(index)
        if found is not None:
            return found
        from kg.extract.fundings import _FUNDER_PHRASES, _LEVEL_FUNDER, _LEVEL_MONEY, _level_funder

        sent = self.sentences[index]
        found = []
        if not any(cue in sent.text for cue in _PHRASE_CUES):
            self._phrases[index] = found
            return found
        for m in _FUNDER_PHRASES.finditer(sent.text):
            # (the name the rules record for the phrase: 县财政 -> 县级财政, 自治区(第二批)财政 -> 自治区财政)
            name = self.givers.pairing_partner(m.group(0))
            name = name if name in self.finds.actors else _level_funder(name)
            if name:
                found.append((sent.start + m.start(), sent.start + m.end(), name))
        for m in _LEVEL_MONEY.finditer(sent.text):
            group = 1 if m.group(1) else 2
            found.append((sent.start + m.start(group), sent.start + m.end(group), _LEVEL_FUNDER[m.group(group)]))
        self._phrases[index] = found = sorted(set(found))
        return found

    def _head(self, index: int) -> int:
        """Where a sentence's subject would start: after its opening time phrase."""
        head = self._heads.get(index)
        if head is None:
            text = self.sentences[index].text
            self._heads[index] = head = len(text) - len(strip_time_phrase(text))
        return head

    def _between(self, start: int, end: int) -> list[tuple[int, int, str, str, int]]:
        return self.mentions[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def candidates(self, sent: Sentence, clause_start: int, amount_start: int, amount_end: int, kind: str,
                   cascade: str | None, heading: Sentence | None, section_funder: str | None,
                   title_funder: str | None) -> list[Candidate]:
        """Every possible giver of the amount at ``amount_start`` (offsets within ``sent``)."""
        text, s = self.text, sent.text
        abs_amount, abs_end = sent.start + amount_start, sent.start + amount_end
        abs_clause = sent.start + clause_start
        first = self._paragraph_start(sent)
        lo = bisect_left(self.starts, self.sentences[first].start)
        before_amount = s[:amount_start]
        gives = _gives_pattern()
        subject_paragraph = self._paragraph_subjects.get(sent.index, "")
        if subject_paragraph == "":
            subject_paragraph = self._paragraph_subjects[sent.index] = self.givers._paragraph_subject(sent)
        out: dict[str, dict[str, float]] = {}

        def keep(name: str, feats: dict[str, float]) -> None:
            seen = out.get(name)
            if seen is None or _closeness(feats) > _closeness(seen):
                out[name] = feats

        n_before = bisect_left(self.starts, abs_amount)
        # Each name's nearest mention: the last before the amount, else the first after it in its sentence.
        after = [(i, m) for i, m in enumerate(self.mentions[n_before : bisect_left(self.starts, sent.end)], n_before)
                 if m[0] >= abs_end]
        before = list(enumerate(self.mentions[lo:n_before], lo))
        for index, (start, end, name, typ, si) in [*reversed(before), *after]:
            if name in out:
                continue
            f = self._place_features(start, end, si, sent, abs_clause, abs_amount, abs_end, before_amount, gives)
            f.update(self._actor_features(start, end, name, typ, si))
            if start < abs_amount:
                between = n_before - index - 1
                f["log_between"] = math.log1p(between)
                f["nearest"] = float(between == 0)
            if name == subject_paragraph:
                f["subject_paragraph"] = 1.0
            if kind == "loan":
                f["loan_bank" if typ == "FinancialInstitution" else "loan_other"] = 1.0
            elif "财政" in name:
                f["fund_finance"] = 1.0
            out[name] = f
        # Budget levels and pairing money of the amount's sentence and the one before, the nearest of each name.
        phrases = [p for si in range(max(first, sent.index - 1), sent.index + 1) for p in self._phrases_in(si)]
        seen: set[str] = set()
        for start, end, name in [*reversed([p for p in phrases if p[0] < abs_amount]),
                                 *(p for p in phrases if p[0] >= abs_end)]:
            if name in seen:
                continue
            seen.add(name)
            si = sent.index if start >= sent.start else sent.index - 1
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
        pairing = bool(self._pairing_money.search(clause_text + after))
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
        if si == sent.index and start >= abs_end:
            f["s_after"] = 1.0
            distance = start - abs_end
            if _BY_BEFORE.search(text, max(sent.start, start - 3), start):
                f["by_after"] = 1.0
        else:
            distance = max(0, abs_amount - end)
            if si == sent.index:
                f["s_clause" if start >= abs_clause else "s_sentence"] = 1.0
                if gives.search(text, end, abs_amount):
                    f["gives_between"] = 1.0
            else:
                f["s_prev_sentence" if si == sent.index - 1 else "s_paragraph"] = 1.0
                if gives.search(before_amount):
                    f["gives_between"] = 1.0
        f["log_distance"] = min(1.0, math.log1p(distance) / _DISTANCE_SCALE)
        f.update(self._words_beside(start, end, si))
        return f

    def _actor_features(self, start: int, end: int, name: str, typ: str, si: int) -> dict[str, float]:
        """What an actor mention is and what stands around it, whatever the amount (once per mention)."""
        found = self._static.get((start, end, name))
        if found is not None:
            return found
        f = {_TYPE_FEATURE.get(typ, "t_other"): 1.0, "log_mentions": math.log1p(self.counts.get(name, 1)) / math.log(10)}
        if name in self.title_names:
            f["in_title"] = 1.0
        if "财政" in name:
            f["finance"] = 1.0
        f.update(self._words_beside(start, end, si))
        self._static[(start, end, name)] = f
        return f

    def _words_beside(self, start: int, end: int, si: int) -> dict[str, float]:
        """What stands around a mention whatever the amount (computed once per mention)."""
        found = self._beside.get((start, end))
        if found is not None:
            return found
        text, gives = self.text, _gives_pattern()
        own = self.sentences[si]
        f: dict[str, float] = {}
        tail = text[end : min(own.end, end + 8)]
        cut = _CLAUSE_MARK.search(tail)
        if gives.search(tail[: cut.start()] if cut else tail):
            f["gives_after"] = 1.0
        if RECEIVER_BEFORE.search(text, max(own.start, start - 4), start):
            f["receiver_before"] = 1.0
        clause_head = text[max(own.start, start - 24) : start]
        cut = None
        for cut in _CLAUSE_MARK.finditer(clause_head):
            pass
        clause_head = clause_head[cut.end() :] if cut else clause_head
        if _RECEIVER_IN_CLAUSE.search(clause_head) and not gives.search(clause_head):
            f["receiver_in_clause"] = 1.0
        if start == own.start or start - own.start == self._head(si):
            f["subject_sentence"] = 1.0
        if not clause_head.strip() or start == own.start:
            f["subject_clause"] = 1.0
        self._beside[(start, end)] = f
        return f


def _closeness(features: dict[str, float]) -> tuple[int, float]:
    """Which of two mentions of one name is the amount's: the one before it, then the nearer."""
    return (0 if features.get("s_after") else 1, -features.get("log_distance", 1.0))


def feature_vector(candidate: Candidate, features: tuple[str, ...] = FEATURES) -> list[float]:
    """The candidate's features in the order of ``features``.

    >>> feature_vector(Candidate(None, {"none": 1.0}), ("t_bank", "none"))
    [0.0, 1.0]
    """
    return [candidate.features.get(f, 0.0) for f in features]
