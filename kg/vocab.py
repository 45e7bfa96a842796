"""The one place where vocabulary IRIs are spelled out.

Every term is a plain IRI string held as a class attribute, so a misspelt term
(``PKG.Fundng``) raises ``AttributeError`` when the using module is imported.
No RDF library is imported here; :mod:`kg.rdfize` builds ``NamedNode`` objects
from these strings once, at import.

>>> PKG.Funding
'https://w3id.org/policy-kg/ontology#Funding'
>>> KIND_IRIS["loan"]
'https://w3id.org/policy-kg/kind/loan'
>>> local_name(ACTOR_TYPE_IRIS["Person"])
'Person'
"""

from __future__ import annotations

from kg.ids import BASE
from kg.model import ACTOR_TYPES, FUNDING_KINDS, INDICATOR_KINDS, REGION_LEVELS

PKG_NS = BASE + "ontology#"
LEVEL_NS = BASE + "level/"
KIND_NS = BASE + "kind/"
#: Concepts of the programme vocabulary (``ontology/programmes.ttl``, from ``data/registers/programmes.tsv``).
PROGRAMME_NS = BASE + "programme/"
INDICATOR_NS = BASE + "indicator/"
OBSERVATION_KIND_NS = BASE + "observation-kind/"
UNIT_NS = BASE + "unit/"
QB_NS = "http://purl.org/linked-data/cube#"
SDMX_DIMENSION_NS = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATTRIBUTE_NS = "http://purl.org/linked-data/sdmx/2009/attribute#"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
ORG_NS = "http://www.w3.org/ns/org#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
SCHEMA_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SH_NS = "http://www.w3.org/ns/shacl#"

#: Prefixes written into Turtle/TriG/JSON-LD exports and used by the canned queries.
PREFIXES: dict[str, str] = {
    "pkg": PKG_NS,
    "level": LEVEL_NS,
    "kind": KIND_NS,
    "indicator": INDICATOR_NS,
    "obskind": OBSERVATION_KIND_NS,
    "unit": UNIT_NS,
    "qb": QB_NS,
    "sdmx-dimension": SDMX_DIMENSION_NS,
    "sdmx-attribute": SDMX_ATTRIBUTE_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "skos": SKOS_NS,
    "org": ORG_NS,
    "foaf": FOAF_NS,
    "schema": SCHEMA_NS,
    "prov": PROV_NS,
    "dcterms": DCTERMS_NS,
}

#: The PREFIX lines of every namespace above, for SPARQL written in code.
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())


class PKG:
    """Terms minted by this project (``pkg:``); each is declared in ``ontology/policy.ttl``."""

    # classes
    Actor = PKG_NS + "Actor"
    GovernmentAgency = PKG_NS + "GovernmentAgency"
    PartyOrganization = PKG_NS + "PartyOrganization"
    Enterprise = PKG_NS + "Enterprise"
    FinancialInstitution = PKG_NS + "FinancialInstitution"
    Cooperative = PKG_NS + "Cooperative"
    SocialOrganization = PKG_NS + "SocialOrganization"
    Person = PKG_NS + "Person"
    Region = PKG_NS + "Region"
    Program = PKG_NS + "Program"
    PolicyDocument = PKG_NS + "PolicyDocument"
    Measure = PKG_NS + "Measure"
    Funding = PKG_NS + "Funding"
    Report = PKG_NS + "Report"
    Sentence = PKG_NS + "Sentence"
    Mention = PKG_NS + "Mention"
    # concept schemes
    RegionLevels = PKG_NS + "RegionLevels"
    FundingKinds = PKG_NS + "FundingKinds"
    Indicators = PKG_NS + "Indicators"
    ObservationKinds = PKG_NS + "ObservationKinds"
    Units = PKG_NS + "Units"
    # indicators (W3C Data Cube): dimensions, measure, attribute and the structure
    indicatorStructure = PKG_NS + "indicatorStructure"
    undatedIndicatorStructure = PKG_NS + "undatedIndicatorStructure"
    indicator = PKG_NS + "indicator"
    subject = PKG_NS + "subject"
    observationKind = PKG_NS + "observationKind"
    value = PKG_NS + "value"
    wording = PKG_NS + "wording"
    # actors, regions, programmes
    region = PKG_NS + "region"
    post = PKG_NS + "post"
    level = PKG_NS + "level"
    partOf = PKG_NS + "partOf"
    within = PKG_NS + "within"
    divisionCode = PKG_NS + "divisionCode"
    # documents and measures
    issuer = PKG_NS + "issuer"
    issuerText = PKG_NS + "issuerText"
    agent = PKG_NS + "agent"
    agentText = PKG_NS + "agentText"
    action = PKG_NS + "action"
    object = PKG_NS + "object"
    objectText = PKG_NS + "objectText"
    # fundings
    fundingKind = PKG_NS + "fundingKind"
    funderText = PKG_NS + "funderText"
    recipientText = PKG_NS + "recipientText"
    program = PKG_NS + "program"
    programText = PKG_NS + "programText"
    count = PKG_NS + "count"
    countUnit = PKG_NS + "countUnit"
    year = PKG_NS + "year"
    # reports and evidence
    sha256 = PKG_NS + "sha256"
    jurisdiction = PKG_NS + "jurisdiction"
    text = PKG_NS + "text"
    surface = PKG_NS + "surface"
    start = PKG_NS + "start"
    end = PKG_NS + "end"
    sentence = PKG_NS + "sentence"
    page = PKG_NS + "page"
    paragraph = PKG_NS + "paragraph"


class RDF:
    type = RDF_NS + "type"


class RDFS:
    label = RDFS_NS + "label"
    comment = RDFS_NS + "comment"
    subClassOf = RDFS_NS + "subClassOf"
    subPropertyOf = RDFS_NS + "subPropertyOf"


class OWL:
    Class = OWL_NS + "Class"
    ObjectProperty = OWL_NS + "ObjectProperty"
    DatatypeProperty = OWL_NS + "DatatypeProperty"
    TransitiveProperty = OWL_NS + "TransitiveProperty"
    Ontology = OWL_NS + "Ontology"


class XSD:
    string = XSD_NS + "string"
    integer = XSD_NS + "integer"
    decimal = XSD_NS + "decimal"
    date = XSD_NS + "date"
    gYear = XSD_NS + "gYear"
    anyURI = XSD_NS + "anyURI"


class SKOS:
    Concept = SKOS_NS + "Concept"
    ConceptScheme = SKOS_NS + "ConceptScheme"
    prefLabel = SKOS_NS + "prefLabel"
    altLabel = SKOS_NS + "altLabel"
    inScheme = SKOS_NS + "inScheme"
    notation = SKOS_NS + "notation"
    broader = SKOS_NS + "broader"
    exactMatch = SKOS_NS + "exactMatch"
    hasTopConcept = SKOS_NS + "hasTopConcept"
    definition = SKOS_NS + "definition"


class QB:
    Observation = QB_NS + "Observation"
    DataSet = QB_NS + "DataSet"
    DataStructureDefinition = QB_NS + "DataStructureDefinition"
    dataSet = QB_NS + "dataSet"
    structure = QB_NS + "structure"


class SDMX:
    refArea = SDMX_DIMENSION_NS + "refArea"
    refPeriod = SDMX_DIMENSION_NS + "refPeriod"
    unitMeasure = SDMX_ATTRIBUTE_NS + "unitMeasure"


class ORG:
    Organization = ORG_NS + "Organization"


class FOAF:
    Person = FOAF_NS + "Person"


class SCHEMA:
    MonetaryGrant = SCHEMA_NS + "MonetaryGrant"
    amount = SCHEMA_NS + "amount"
    currency = SCHEMA_NS + "currency"
    funder = SCHEMA_NS + "funder"
    recipient = SCHEMA_NS + "recipient"
    url = SCHEMA_NS + "url"


class PROV:
    Entity = PROV_NS + "Entity"
    wasDerivedFrom = PROV_NS + "wasDerivedFrom"
    hadPrimarySource = PROV_NS + "hadPrimarySource"


class DCTERMS:
    title = DCTERMS_NS + "title"
    publisher = DCTERMS_NS + "publisher"
    date = DCTERMS_NS + "date"
    source = DCTERMS_NS + "source"
    identifier = DCTERMS_NS + "identifier"
    isPartOf = DCTERMS_NS + "isPartOf"


#: Actor type name (as in :data:`kg.model.ACTOR_TYPES`) -> class IRI.
ACTOR_TYPE_IRIS: dict[str, str] = {t: getattr(PKG, t) for t in ACTOR_TYPES}
#: Region level -> SKOS concept IRI in the ``pkg:RegionLevels`` scheme.
LEVEL_IRIS: dict[str, str] = {lv: LEVEL_NS + lv for lv in REGION_LEVELS}
#: Funding kind -> SKOS concept IRI in the ``pkg:FundingKinds`` scheme.
KIND_IRIS: dict[str, str] = {k: KIND_NS + k for k in FUNDING_KINDS}

#: Indicator observation kind -> SKOS concept IRI in the ``pkg:ObservationKinds`` scheme.
OBSERVATION_KIND_IRIS: dict[str, str] = {k: OBSERVATION_KIND_NS + k for k in INDICATOR_KINDS}

CURRENCY = "CNY"


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[cut + 1 :]


def pkg_terms() -> dict[str, str]:
    """Every ``pkg:`` term defined above, local name -> IRI (for consistency checks)."""
    return {k: v for k, v in vars(PKG).items() if isinstance(v, str) and v.startswith(PKG_NS)}
