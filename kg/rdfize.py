"""Turn one :class:`~kg.model.Extraction` into the quads of its report's named graph.

Layout (``g`` = ``ids.report_iri(report_id)``, every quad is in graph ``g``)::

    <report>   a pkg:Report ; dcterms:identifier ; dcterms:title ; dcterms:publisher ;
               dcterms:date (xsd:date when ISO) ; dcterms:source (file) ; schema:url ;
               pkg:sha256 ; pkg:jurisdiction <region>
    <region>   a pkg:Region ; skos:prefLabel @zh ; skos:altLabel @zh* ; pkg:level level:* ;
               pkg:divisionCode ; pkg:partOf <region>
    <actor>    a pkg:Actor, pkg:<Type> ; skos:prefLabel ; skos:altLabel* ; pkg:region ; pkg:post
    <program>  a pkg:Program ; skos:prefLabel ; skos:altLabel* ; pkg:region
    <document> a pkg:PolicyDocument ; dcterms:title @zh ; pkg:issuer <actor> | pkg:issuerText
    <funding>  a pkg:Funding ; schema:amount xsd:decimal ; schema:currency "CNY" ;
               pkg:fundingKind kind:* ; schema:funder <x> | pkg:funderText ;
               schema:recipient <x> | pkg:recipientText ; pkg:program <p> | pkg:programText ;
               pkg:count ; pkg:countUnit ; pkg:year xsd:gYear
    <measure>  a pkg:Measure ; pkg:action ; pkg:objectText ; pkg:object <x>? ;
               pkg:agent <actor or region> | pkg:agentText
    every entity, funding and measure: prov:hadPrimarySource <report> ;
               prov:wasDerivedFrom <mention>*
    <mention>  a pkg:Mention ; pkg:surface ; pkg:start ; pkg:end ;
               pkg:sentence, or dcterms:isPartOf <report> where no sentence holds it
    <sentence> a pkg:Sentence ; pkg:text ; pkg:start ; pkg:end ; dcterms:isPartOf ;
               pkg:page or pkg:paragraph (PDF and Word reports: where the sentence starts)

Offsets on mentions and sentences point into the *original* report text. A region
that is only referred to (a parent, an actor's region) and not itself in the
extraction gets a link and an ``skos:prefLabel`` but no type in this graph, so it is
not counted as mentioned by the report.

>>> from kg.model import RawReport, NormalizedReport, Extraction
>>> raw = RawReport("r1", "r1.txt", "文本", "0" * 64, "utf-8", title="标题")
>>> ext = Extraction(NormalizedReport(raw, "文本", (0, 1, 2)), ())
>>> [str(q) for q in rdfize(ext)][0]
'<https://w3id.org/policy-kg/id/report/r1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/policy-kg/ontology#Report> <https://w3id.org/policy-kg/id/report/r1>'
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Quad

from kg import ids
from kg.extract.programs import concept_of, programme_vocabulary
from kg.model import MEASURE_ACTIONS, Extraction, Mention
from kg.vocab import (
    DCTERMS_NS,
    PROGRAMME_NS,
    SKOS_NS,
    ACTOR_TYPE_IRIS,
    CURRENCY,
    DCTERMS,
    INDICATOR_NS,
    KIND_IRIS,
    LEVEL_IRIS,
    OBSERVATION_KIND_IRIS,
    PKG,
    PROV,
    QB,
    RDF,
    SCHEMA,
    SDMX,
    SKOS,
    UNIT_NS,
    XSD,
)

__all__ = ["rdfize", "rdfize_nquads", "decimal_lexical"]

# --- terms built once --------------------------------------------------------------

_A = NamedNode(RDF.type)
_PREF = NamedNode(SKOS.prefLabel)
_ALT = NamedNode(SKOS.altLabel)
_SOURCE = NamedNode(PROV.hadPrimarySource)
_DERIVED = NamedNode(PROV.wasDerivedFrom)
_PART_OF_DOC = NamedNode(DCTERMS.isPartOf)

_C_REPORT = NamedNode(PKG.Report)
_C_REGION = NamedNode(PKG.Region)
_C_ACTOR = NamedNode(PKG.Actor)
_C_PROGRAM = NamedNode(PKG.Program)
_C_DOCUMENT = NamedNode(PKG.PolicyDocument)
_C_FUNDING = NamedNode(PKG.Funding)
_C_MEASURE = NamedNode(PKG.Measure)
_C_SENTENCE = NamedNode(PKG.Sentence)
_C_MENTION = NamedNode(PKG.Mention)
_C_OBSERVATION = NamedNode(QB.Observation)
_C_DATASET = NamedNode(QB.DataSet)
_INDICATOR_STRUCTURE = NamedNode(PKG.indicatorStructure)
_UNDATED_STRUCTURE = NamedNode(PKG.undatedIndicatorStructure)
_OBSERVATION_KINDS = {name: NamedNode(iri) for name, iri in OBSERVATION_KIND_IRIS.items()}
_ACTOR_TYPES = {name: NamedNode(iri) for name, iri in ACTOR_TYPE_IRIS.items()}
_LEVELS = {name: NamedNode(iri) for name, iri in LEVEL_IRIS.items()}
_KINDS = {name: NamedNode(iri) for name, iri in KIND_IRIS.items()}

_P = {
    name: NamedNode(iri)
    for name, iri in {
        "identifier": DCTERMS.identifier,
        "title": DCTERMS.title,
        "publisher": DCTERMS.publisher,
        "date": DCTERMS.date,
        "source": DCTERMS.source,
        "url": SCHEMA.url,
        "sha256": PKG.sha256,
        "jurisdiction": PKG.jurisdiction,
        "level": PKG.level,
        "divisionCode": PKG.divisionCode,
        "partOf": PKG.partOf,
        "region": PKG.region,
        "post": PKG.post,
        "issuer": PKG.issuer,
        "issuerText": PKG.issuerText,
        "amount": SCHEMA.amount,
        "currency": SCHEMA.currency,
        "kind": PKG.fundingKind,
        "funder": SCHEMA.funder,
        "funderText": PKG.funderText,
        "recipient": SCHEMA.recipient,
        "recipientText": PKG.recipientText,
        "program": PKG.program,
        "programText": PKG.programText,
        "count": PKG.count,
        "countUnit": PKG.countUnit,
        "year": PKG.year,
        "agent": PKG.agent,
        "agentText": PKG.agentText,
        "action": PKG.action,
        "object": PKG.object,
        "objectText": PKG.objectText,
        "text": PKG.text,
        "surface": PKG.surface,
        "start": PKG.start,
        "end": PKG.end,
        "sentence": PKG.sentence,
        "page": PKG.page,
        "paragraph": PKG.paragraph,
        "dataSet": QB.dataSet,
        "structure": QB.structure,
        "indicator": PKG.indicator,
        "subject": PKG.subject,
        "observationKind": PKG.observationKind,
        "value": PKG.value,
        "wording": PKG.wording,
        "refArea": SDMX.refArea,
        "refPeriod": SDMX.refPeriod,
        "unitMeasure": SDMX.unitMeasure,
    }.items()
}

_XSD_INTEGER = NamedNode(XSD.integer)
_XSD_DECIMAL = NamedNode(XSD.decimal)
_XSD_DATE = NamedNode(XSD.date)
_XSD_GYEAR = NamedNode(XSD.gYear)
_XSD_ANYURI = NamedNode(XSD.anyURI)
_CNY = Literal(CURRENCY)
_ACTIONS = {a: Literal(a) for a in MEASURE_ACTIONS}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# --- caches: the same names and IRIs recur across thousands of reports ---------------
# Bounded, so a worker's memory stays flat however many reports it reads; report-local
# nodes (mentions, sentences, fundings, measures) are unique and skip the caches.

_CACHE = 20_000
_node = lru_cache(maxsize=_CACHE)(NamedNode)
_lit = lru_cache(maxsize=_CACHE)(Literal)
_lit_zh = lru_cache(maxsize=_CACHE)(lambda text: Literal(text, language="zh"))
_int = lru_cache(maxsize=_CACHE)(lambda value: Literal(str(value), datatype=_XSD_INTEGER))


@lru_cache(maxsize=_CACHE)
def _entity_node(kind: str, name: str, code: str | None = None, parent_code: str | None = None) -> NamedNode:
    """Node of a named entity from its canonical name (and region codes)."""
    if kind == "region":
        return NamedNode(ids.region_iri(name, code, parent_code))
    if kind == "actor":
        return NamedNode(ids.actor_iri(name))
    if kind == "program":
        return NamedNode(ids.program_iri(name))
    return NamedNode(ids.document_iri(name))


def decimal_lexical(value: Decimal | int) -> str:
    """Canonical xsd:decimal lexical form without exponent or trailing zeros.

    >>> decimal_lexical(Decimal("1.5E+8")), decimal_lexical(Decimal("12.50")), decimal_lexical(0)
    ('150000000', '12.5', '0')
    """
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("", "-0"):
        text = "0"
    return text


def _date_literal(text: str) -> Literal:
    if _ISO_DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
            return Literal(text, datatype=_XSD_DATE)
        except ValueError:
            pass
    return Literal(text)


def _unique(items: Iterable[str], skip: str) -> list[str]:
    seen = {skip}
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


_EXACT_MATCH = NamedNode(SKOS.exactMatch)
_BROADER = NamedNode(SKOS.broader)
_PROGRAMME_SCHEME = NamedNode(PROGRAMME_NS + "scheme")


def _concept_node(concept_id: str) -> NamedNode:
    return NamedNode(PROGRAMME_NS + concept_id)


@lru_cache(maxsize=256)
def _concept_statements(concept_id: str) -> tuple[tuple[NamedNode, NamedNode, NamedNode | Literal], ...]:
    """A concept of the programme vocabulary and all its broader concepts: type, labels, scheme, broader links."""
    vocab = programme_vocabulary()
    out: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = []
    todo, seen = [concept_id], set()
    while todo:
        c = vocab[todo.pop()]
        if c.id in seen:
            continue
        seen.add(c.id)
        node = _concept_node(c.id)
        out += [(node, _A, NamedNode(SKOS.Concept)), (node, NamedNode(SKOS.inScheme), _PROGRAMME_SCHEME),
                (node, _PREF, Literal(c.label, language="zh"))]
        out += [(node, _BROADER, _concept_node(b)) for b in c.broader]
        todo += list(c.broader)
    return tuple(out)


def programme_scheme_quads() -> list[Quad]:
    """The programme vocabulary as a SKOS concept scheme (the content of ``ontology/programmes.ttl``).

    >>> quads = programme_scheme_quads()
    >>> any(q.predicate.value.endswith("#broader") and q.subject.value.endswith("/shanghai-yunnan") for q in quads)
    True
    """
    skos = SKOS
    out = [Quad(_PROGRAMME_SCHEME, _A, NamedNode(skos.ConceptScheme)),
           Quad(_PROGRAMME_SCHEME, _PREF, Literal("乡村振兴项目与资金词表", language="zh")),
           Quad(_PROGRAMME_SCHEME, _PREF, Literal("Programmes, funds and campaigns of rural revitalisation", language="en")),
           Quad(_PROGRAMME_SCHEME, NamedNode(DCTERMS.source), Literal("data/registers/programmes.tsv"))]
    for c in programme_vocabulary().values():
        node = _concept_node(c.id)
        out += [Quad(node, _A, NamedNode(skos.Concept)), Quad(node, NamedNode(skos.inScheme), _PROGRAMME_SCHEME),
                Quad(node, NamedNode(skos.notation), Literal(c.id)), Quad(node, _PREF, Literal(c.label, language="zh"))]
        out += [Quad(node, _ALT, Literal(a, language="zh")) for a in c.alt_labels]
        out += [Quad(node, _BROADER, _concept_node(b)) for b in c.broader]
        if not c.broader:
            out.append(Quad(_PROGRAMME_SCHEME, NamedNode(skos.hasTopConcept), node))
        out += [Quad(node, NamedNode(DCTERMS.source), NamedNode(u)) for u in c.sources]
        out.append(Quad(node, NamedNode(DCTERMS.source), Literal(c.document, language="zh")))
        if c.partner:
            out.append(Quad(node, NamedNode(skos.definition), Literal(f"结对帮扶中的出资方: {c.partner}", language="zh")))
    return out


def write_programme_scheme(path: str) -> int:
    """Write the programme vocabulary as Turtle (``make programmes``); returns the number of triples."""
    from pyoxigraph import RdfFormat, serialize

    quads = programme_scheme_quads()
    prefixes = {"skos": SKOS_NS, "dcterms": DCTERMS_NS, "programme": PROGRAMME_NS}
    with open(path, "wb") as fh:
        fh.write("# Generated from data/registers/programmes.tsv by `make programmes`; edit the TSV, not this file.\n".encode())
        serialize([q.triple for q in quads], fh, format=RdfFormat.TURTLE, prefixes=prefixes)
    return len(quads)


def rdfize(extraction: Extraction) -> list[Quad]:
    """Every quad of one report, all in the named graph ``ids.report_iri(report_id)``.

    The result is deterministic (same extraction, same list) and free of duplicates.
    """
    g = _node(ids.report_iri(extraction.report.raw.report_id))
    return [Quad(s, p, o, g) for s, p, o in _statements(extraction)]


def rdfize_nquads(extraction: Extraction) -> tuple[bytes, int]:
    """The quads of :func:`rdfize` as N-Quads and their count, without building a Quad per statement.

    What the ingest workers send to the store. Each term is written by pyoxigraph's own
    N-Triples form (``str(term)``, which does the escaping); building ~500 ``Quad``
    objects per report would cost more than the rest of rdfize.

    >>> from kg.pipeline import extract_text
    >>> x = extract_text("县财政局下达资金200万元。", "demo")
    >>> data, n = rdfize_nquads(x)
    >>> n == len(rdfize(x)) and data.count(b"\\n") == n
    True
    """
    g = f" {_node(ids.report_iri(extraction.report.raw.report_id))} .\n"
    term = _term_text
    statements = _statements(extraction)
    # encoded a slice of lines at a time: all lines and their joined text at once would hold the
    # graph twice more (a 5 MB report makes ~150 MB of N-Quads)
    out = io.BytesIO()
    for i in range(0, len(statements), _NQUADS_SLICE):
        out.write("".join([f"{term(s)} {term(p)} {term(o)}{g}"
                           for s, p, o in statements[i:i + _NQUADS_SLICE]]).encode("utf-8"))
    return out.getvalue(), len(statements)


#: Statements turned into N-Quads text per step of :func:`rdfize_nquads`.
_NQUADS_SLICE = 20_000


@lru_cache(maxsize=_CACHE)
def _term_text(term: NamedNode | Literal) -> str:
    return str(term)


def _statements(extraction: Extraction) -> list[tuple[NamedNode, NamedNode, NamedNode | Literal]]:
    """(subject, predicate, object) of every statement of the report's graph, in order, without duplicates."""
    report = extraction.report
    raw = report.raw
    rid = raw.report_id
    g = _node(ids.report_iri(rid))
    out: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = []
    add = out.append
    P = _P

    # ---- lookup tables: canonical name (then alias) -> node ------------------------
    def table(entries: Iterable[tuple[str, tuple[str, ...], NamedNode]]) -> dict[str, NamedNode]:
        by_name: dict[str, NamedNode] = {}
        by_alias: dict[str, NamedNode] = {}
        for name, aliases, node in entries:
            by_name.setdefault(name, node)
            for alias in aliases:
                by_alias.setdefault(alias, node)
        for alias, node in by_alias.items():
            by_name.setdefault(alias, node)
        return by_name

    region_nodes = [_entity_node("region", r.name, r.code, r.parent_code) for r in extraction.regions]
    actor_nodes = [_entity_node("actor", a.name) for a in extraction.actors]
    program_nodes = [_entity_node("program", p.name) for p in extraction.programs]
    document_nodes = [_entity_node("document", d.title) for d in extraction.documents]
    regions = table((r.name, r.aliases, n) for r, n in zip(extraction.regions, region_nodes))
    region_by_code = {r.code: n for r, n in zip(extraction.regions, region_nodes) if r.code}
    actors = table((a.name, a.aliases, n) for a, n in zip(extraction.actors, actor_nodes))
    programs = table((p.name, p.aliases, n) for p, n in zip(extraction.programs, program_nodes))
    documents = table((d.title, (), n) for d, n in zip(extraction.documents, document_nodes))

    referred: set[NamedNode] = set()

    def region_ref(name: str, code: str | None = None) -> NamedNode:
        """A region by name: the extracted one, else a labelled link-only node."""
        node = regions.get(name)
        if node is None:
            node = _entity_node("region", name, code)
            if node not in referred:
                referred.add(node)
                add((node, _PREF, _lit_zh(name)))
        return node

    # ---- evidence ---------------------------------------------------------------
    sentences = {s.index: s for s in extraction.sentences}
    used_sentences: dict[int, NamedNode] = {}
    mention_nodes: dict[tuple[int, int], NamedNode] = {}

    def mention(m: Mention) -> NamedNode:
        key = (m.start, m.end)
        node = mention_nodes.get(key)
        if node is None:
            node = mention_nodes[key] = NamedNode(ids.mention_iri(rid, m.start, m.end))
            start, end = report.original_span(m.start, m.end)
            add((node, _A, _C_MENTION))
            add((node, P["surface"], _lit(m.surface)))
            add((node, P["start"], _int(start)))
            add((node, P["end"], _int(end)))
            # the report is one step away, through the sentence (dcterms:isPartOf): said again on
            # each of the ~45 mentions of a report it was 6 % of all quads
            if m.sentence in sentences:
                snode = used_sentences.get(m.sentence)
                if snode is None:
                    snode = used_sentences[m.sentence] = NamedNode(ids.sentence_iri(rid, m.sentence))
                add((node, P["sentence"], snode))
            else:
                add((node, _PART_OF_DOC, g))
        return node

    def names(node: NamedNode, label_p: NamedNode, name: str, aliases: Iterable[str], mentions) -> None:
        add((node, label_p, _lit_zh(name)))
        for alt in _unique([*aliases, *(m.surface for m in mentions)], name):
            add((node, _ALT, _lit_zh(alt)))
        for m in mentions:
            add((node, _DERIVED, mention(m)))
        add((node, _SOURCE, g))

    def link(name: str, *tables: dict[str, NamedNode]) -> NamedNode | None:
        for t in tables:
            node = t.get(name)
            if node is not None:
                return node
        return None

    # ---- report -----------------------------------------------------------------
    add((g, _A, _C_REPORT))
    add((g, P["identifier"], _lit(rid)))
    if raw.title:
        add((g, P["title"], Literal(raw.title)))
    if raw.publisher:
        add((g, P["publisher"], _lit(raw.publisher)))
    if raw.date:
        add((g, P["date"], _date_literal(raw.date)))
    if raw.source:
        add((g, P["source"], Literal(raw.source)))
    if raw.url:
        add((g, P["url"], Literal(raw.url, datatype=_XSD_ANYURI)))
    if raw.sha256:
        add((g, P["sha256"], Literal(raw.sha256)))
    if extraction.jurisdiction:
        add((g, P["jurisdiction"], region_ref(extraction.jurisdiction)))

    # ---- regions ----------------------------------------------------------------
    for r, node in zip(extraction.regions, region_nodes):
        add((node, _A, _C_REGION))
        names(node, _PREF, r.name, r.aliases, r.mentions)
        level = _LEVELS.get(r.level)
        if level is not None:
            add((node, P["level"], level))
        if r.code:
            add((node, P["divisionCode"], _lit(r.code)))
        parent = None
        if r.parent:
            parent = region_ref(r.parent, r.parent_code)
        elif r.parent_code:
            parent = region_by_code.get(r.parent_code)
        if parent is not None and parent != node:
            add((node, P["partOf"], parent))

    # ---- actors -----------------------------------------------------------------
    for a, node in zip(extraction.actors, actor_nodes):
        add((node, _A, _C_ACTOR))
        cls = _ACTOR_TYPES.get(a.type)
        if cls is not None:
            add((node, _A, cls))
        names(node, _PREF, a.name, a.aliases, a.mentions)
        if a.region:
            add((node, P["region"], region_ref(a.region)))
        if a.post:
            add((node, P["post"], _lit(a.post)))

    # ---- programmes -------------------------------------------------------------
    for p, node in zip(extraction.programs, program_nodes):
        add((node, _A, _C_PROGRAM))
        names(node, _PREF, p.name, p.aliases, p.mentions)
        if p.region:
            add((node, P["region"], region_ref(p.region)))
        # A programme of the vocabulary links to its concept, which the graph carries with its broader ones,
        # so that skos:exactMatch/skos:broader* finds every east-west cooperation programme of the store.
        concept = next(filter(None, map(concept_of, (p.name, *p.aliases))), None)
        if concept is not None:
            add((node, _EXACT_MATCH, _concept_node(concept.id)))
            for s, pr, o in _concept_statements(concept.id):
                add((s, pr, o))

    # ---- documents --------------------------------------------------------------
    for d, node in zip(extraction.documents, document_nodes):
        add((node, _A, _C_DOCUMENT))
        names(node, P["title"], d.title, (), d.mentions)
        if d.issuer:
            issuer = link(d.issuer, actors, regions)
            if issuer is not None:
                add((node, P["issuer"], issuer))
            else:
                add((node, P["issuerText"], _lit(d.issuer)))

    # ---- fundings ---------------------------------------------------------------
    for f in extraction.fundings:
        node = NamedNode(ids.funding_iri(rid, f.amount_cny, f.evidence.start))
        add((node, _A, _C_FUNDING))
        add((node, P["amount"], Literal(decimal_lexical(f.amount_cny), datatype=_XSD_DECIMAL)))
        add((node, P["currency"], _CNY))
        kind = _KINDS.get(f.kind)
        if kind is not None:
            add((node, P["kind"], kind))
        for value, p_link, p_text, tables in (
            (f.funder, "funder", "funderText", (actors, regions, programs)),
            (f.recipient, "recipient", "recipientText", (actors, regions, programs)),
            (f.program, "program", "programText", (programs,)),
        ):
            if value:
                target = link(value, *tables)
                if target is not None:
                    add((node, P[p_link], target))
                else:
                    add((node, P[p_text], _lit(value)))
        if f.count is not None:
            add((node, P["count"], _int(f.count)))
        if f.count_unit:
            add((node, P["countUnit"], _lit(f.count_unit)))
        if f.year is not None:
            add((node, P["year"], Literal(f"{f.year:04d}", datatype=_XSD_GYEAR)))
        add((node, _DERIVED, mention(f.evidence)))
        add((node, _SOURCE, g))

    # ---- measures ---------------------------------------------------------------
    for m in extraction.measures:
        node = NamedNode(ids.measure_iri(rid, m.action, m.object, m.evidence.start))
        add((node, _A, _C_MEASURE))
        action = _ACTIONS.get(m.action)
        add((node, P["action"], action if action is not None else _lit(m.action)))
        add((node, P["objectText"], _lit(m.object)))
        target = link(m.object, documents, programs, actors, regions)
        if target is not None:
            add((node, P["object"], target))
        if m.actor:
            agent = link(m.actor, actors, regions)  # a region acts through its government
            if agent is not None:
                add((node, P["agent"], agent))
            else:
                add((node, P["agentText"], _lit(m.actor)))
        add((node, _DERIVED, mention(m.evidence)))
        add((node, _SOURCE, g))

    # ---- indicators (W3C Data Cube: a qb:DataSet per report) ----------------------
    # Every dimension of a data set's structure must be present (integrity constraint IC-11):
    # figures whose year cannot be known go to the report's undated data set, whose structure
    # has no refPeriod; a figure with no place to refer to is left out.
    datasets = {True: (NamedNode(ids.indicator_dataset_iri(rid)), _INDICATOR_STRUCTURE),
                False: (NamedNode(ids.indicator_dataset_iri(rid, dated=False)), _UNDATED_STRUCTURE)}
    actor_regions = {a.name: a.region for a in extraction.actors if a.region}
    stated: set[bool] = set()
    for ind in extraction.indicators:
        subject = link(ind.subject, regions, actors, programs)
        area_name = (ind.subject if ind.subject in regions else actor_regions.get(ind.subject)) or extraction.jurisdiction
        if subject is None and ind.subject == extraction.jurisdiction and area_name:
            subject = region_ref(area_name)
        if subject is None or not area_name:
            continue
        dated = ind.year is not None
        dataset, structure = datasets[dated]
        if dated not in stated:
            stated.add(dated)
            add((dataset, _A, _C_DATASET))
            add((dataset, P["structure"], structure))
            add((dataset, _SOURCE, g))
        node = NamedNode(ids.observation_iri(rid, ind.indicator, ind.kind, ind.value, ind.evidence.start))
        add((node, _A, _C_OBSERVATION))
        add((node, P["dataSet"], dataset))
        add((node, P["indicator"], _node(INDICATOR_NS + ind.indicator)))
        add((node, P["subject"], subject))
        add((node, P["refArea"], region_ref(area_name)))
        if dated:
            add((node, P["refPeriod"], Literal(f"{ind.year:04d}", datatype=_XSD_GYEAR)))
        add((node, P["observationKind"], _OBSERVATION_KINDS[ind.kind]))
        add((node, P["value"], Literal(decimal_lexical(ind.value), datatype=_XSD_DECIMAL)))
        add((node, P["unitMeasure"], _node(UNIT_NS + ind.unit)))
        add((node, P["wording"], _lit_zh(ind.wording)))
        add((node, _DERIVED, mention(ind.evidence)))
        add((node, _SOURCE, g))

    # ---- sentences that carry evidence -------------------------------------------
    for index in sorted(used_sentences):
        s = sentences[index]
        node = used_sentences[index]
        start, end = report.original_span(s.start, s.end)
        add((node, _A, _C_SENTENCE))
        add((node, P["text"], Literal(s.text)))
        add((node, P["start"], _int(start)))
        add((node, P["end"], _int(end)))
        where = raw.location_at(start)  # the PDF page or DOCX paragraph the sentence starts on
        if where is not None and raw.location_unit in ("page", "paragraph"):
            add((node, P[raw.location_unit], _int(where)))
        add((node, _PART_OF_DOC, g))

    return list(dict.fromkeys(out))
