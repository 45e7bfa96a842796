"""Read regions, actors, programmes, documents, fundings and measures out of a report.

Everything here is a general rule: gazetteer look-ups, name suffixes, quotation
and title marks, verbs of giving money. Names come out as written (surface
forms); :mod:`kg.resolve` turns them into canonical names.

>>> from kg.pipeline import extract_text
>>> x = extract_text("今年,锦屏县财政局下达衔接资金500万元,支持10个村发展集体经济。")
>>> [(f.amount_cny, f.funder) for f in x.fundings]
[(Decimal('5000000'), '锦屏县财政局')]
"""

from __future__ import annotations

from kg.extract.actors import bank_abbreviations, find_actors
from kg.extract.common import Finds, Tokens
from kg.extract.fundings import find_fundings, title_sentence
from kg.extract.measures import find_measures
from kg.extract.programs import find_documents, find_programs
from kg.extract.regions import find_jurisdiction, find_regions
from kg.model import (
    Actor,
    Document,
    Extraction,
    NormalizedReport,
    Program,
    Region,
    Sentence,
)

__all__ = ["extract", "bank_abbreviations", "title_sentence"]


def extract(report: NormalizedReport, sentences: tuple[Sentence, ...]) -> Extraction:
    """Read every fact out of one normalized, sentence-split report (surface names)."""
    text = report.text
    finds = Finds()
    tokens = Tokens(text)
    find_regions(text, sentences, finds, tokens, date=report.raw.date)
    jurisdiction_key = find_jurisdiction(finds, report)
    finds.jurisdiction = jurisdiction_key
    find_actors(text, sentences, finds, tokens)
    find_documents(text, sentences, finds)
    find_programs(text, sentences, finds, tokens)
    jurisdiction = _name_of(jurisdiction_key, finds)
    find_fundings(text, sentences, finds, report.raw.title)
    find_measures(text, sentences, finds, tokens)
    regions = tuple(
        Region(r["name"], r["level"], r["code"], r["parent"], r["parent_code"],
               tuple(sorted(r["aliases"] - {r["name"]})), tuple(r["mentions"]))
        for r in finds.regions.values()
    )
    actors = tuple(Actor(a["name"], a["type"], None, tuple(sorted(a.get("alt", ()))), tuple(a["mentions"]), a["post"])
                   for a in finds.actors.values())
    programs = tuple(Program(p["name"], None, tuple(sorted(p["aliases"] - {p["name"]})), tuple(p["mentions"]))
                     for p in finds.programs.values())
    documents = tuple(Document(d["title"], d["issuer"], tuple(d["mentions"])) for d in finds.documents.values())
    return Extraction(report, sentences, jurisdiction, regions, actors, programs, documents,
                      tuple(finds.fundings), tuple(finds.measures))


def _name_of(key: str | None, finds: Finds) -> str | None:
    """The name of the report's place: one it names, or one it only implies (the other province of 苏陕协作)."""
    if key is None:
        return None
    if key in finds.regions:
        return finds.regions[key]["name"]
    from kg.gazetteer import load_gazetteer

    d = load_gazetteer().get(key)
    return d.name if d is not None else None
