"""Small frozen dataclasses that flow between the pipeline stages.

Offsets: every ``start``/``end`` on a :class:`Mention` or :class:`Sentence` is a
character offset into the *normalized* text; :meth:`NormalizedReport.original_span`
maps it back to the text as it was read, so evidence points into the source file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from decimal import Decimal

ACTOR_TYPES: tuple[str, ...] = (
    "GovernmentAgency",
    "PartyOrganization",
    "Enterprise",
    "FinancialInstitution",
    "Cooperative",
    "SocialOrganization",
    "Person",
)
REGION_LEVELS: tuple[str, ...] = ("province", "city", "county", "township", "village")
FUNDING_KINDS: tuple[str, ...] = ("grant", "loan", "investment", "subsidy", "fund")
INDICATOR_KINDS: tuple[str, ...] = ("actual", "target", "change")
MEASURE_ACTIONS: tuple[str, ...] = ("issued", "held", "launched", "signed", "disbursed", "established")


@dataclass(frozen=True)
class RawReport:
    """A report as read from disk: decoded text plus what the file or its metadata says."""

    report_id: str
    source: str
    text: str
    sha256: str
    encoding: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    # Where the text came from in a paged or paragraphed file: (offset in text, number) for
    # each PDF page or DOCX paragraph, in order of offset; empty for .txt and .html.
    locations: tuple[tuple[int, int], ...] = ()
    location_unit: str | None = None  # "page" (PDF) or "paragraph" (DOCX, .doc)

    def location_at(self, offset: int) -> int | None:
        """The page or paragraph number holding text offset ``offset``, if the file has them.

        >>> RawReport("r", "r.pdf", "第一页 第二页", "", "pdf", locations=((0, 1), (4, 2)),
        ...           location_unit="page").location_at(5)
        2
        """
        i = bisect.bisect_right(self.locations, (offset, float("inf"))) - 1
        return self.locations[i][1] if i >= 0 else None


@dataclass(frozen=True)
class NormalizedReport:
    """Simplified-script text with a map from each character back to the original text."""

    raw: RawReport
    text: str
    # offsets[i] is the index in raw.text of normalized character i; one extra
    # trailing entry holds len(raw.text) so that end offsets map too.
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) span to the original text."""
        if start >= end:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Sentence:
    """A sentence (or clause group) of the normalized text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """Where a fact was read: a span of the normalized text inside one sentence."""

    surface: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class Region:
    """An administrative place; ``code`` is the GB/T 2260 code where the gazetteer knows it."""

    name: str
    level: str
    code: str | None = None
    parent: str | None = None
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Actor:
    """An organisation or a named person that acts in a report."""

    name: str
    type: str
    region: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    post: str | None = None


@dataclass(frozen=True)
class Program:
    """A named programme, campaign, project, fund scheme or loan product."""

    name: str
    region: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Document:
    """A policy document named in 《》, with its issuer where stated."""

    title: str
    issuer: str | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Funding:
    """A flow of money stated in a report."""

    amount_cny: Decimal
    evidence: Mention
    kind: str = "fund"
    funder: str | None = None
    recipient: str | None = None
    program: str | None = None
    count: int | None = None
    count_unit: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Measure:
    """An action an actor takes: issued a document, held an event, launched a programme."""

    action: str
    object: str
    evidence: Mention
    actor: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A quantity describing the state of a place, actor or programme (not a flow of money).

    ``indicator`` is a code of the indicator vocabulary (``data/registers/indicators.tsv``),
    ``wording`` the text's own words for it, ``value`` is in base units (yuan, 户, 亩, %),
    ``kind`` is ``actual``, ``target`` or ``change``.
    """

    subject: str
    indicator: str
    wording: str
    value: Decimal
    unit: str
    year: int | None
    kind: str
    evidence: Mention


@dataclass(frozen=True)
class Extraction:
    """Everything read out of one report, resolved to canonical names."""

    report: NormalizedReport
    sentences: tuple[Sentence, ...]
    jurisdiction: str | None = None
    regions: tuple[Region, ...] = ()
    actors: tuple[Actor, ...] = ()
    programs: tuple[Program, ...] = ()
    documents: tuple[Document, ...] = ()
    fundings: tuple[Funding, ...] = ()
    measures: tuple[Measure, ...] = ()
    indicators: tuple[Indicator, ...] = ()
