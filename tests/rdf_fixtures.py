"""A small, realistic, hand-built Extraction for the RDF tests (made-up places and bodies).

The original text writes the first sentence in traditional script with an inserted pinyin
reading ``縣(xiàn)``; the normalized text drops it, so offsets into the original differ
from normalized offsets after that point, which is what the evidence tests check.
"""

from __future__ import annotations

from decimal import Decimal

from kg.model import (
    Actor,
    Document,
    Extraction,
    Funding,
    Measure,
    Mention,
    NormalizedReport,
    Program,
    RawReport,
    Region,
    Sentence,
)

REPORT_ID = "qingxi-test-2022"

NORMALIZED = (
    "清溪县农业农村局印发《清溪县村级集体经济发展扶持办法》。"
    "县农信社向桃源村果蔬专业合作社发放“强村富民”贷款22笔1840万元。"
    "中央财政下达补助资金640万元，支持128个村发展村级集体经济。"
    "桃源村党支部书记王明远带领柳川丰源农业发展有限公司与清溪县乡村振兴促进会签订帮扶协议。"
    "石门镇位于柳川市清溪县。"
    "中共清溪县委部署强村富民行动。"
    "会议要求持续推进相关工作。"  # a sentence that carries no evidence
)
_FIRST_END = NORMALIZED.index("。") + 1
_TRAD = str.maketrans("县农业级体经济发办", "縣農業級體經濟發辦")
_PINYIN = "(xiàn)"
_PINYIN_AFTER = 2  # the pinyin follows normalized character 2 (the first 县)


def _original() -> tuple[str, tuple[int, ...]]:
    first = NORMALIZED[:_FIRST_END].translate(_TRAD)
    original = first[: _PINYIN_AFTER + 1] + _PINYIN + first[_PINYIN_AFTER + 1 :] + NORMALIZED[_FIRST_END:]
    offsets = tuple(i if i <= _PINYIN_AFTER else i + len(_PINYIN) for i in range(len(NORMALIZED)))
    return original, offsets + (len(original),)


ORIGINAL, OFFSETS = _original()


def _sentences() -> tuple[Sentence, ...]:
    out, start = [], 0
    for i, part in enumerate(NORMALIZED.split("。")[:-1]):
        end = start + len(part) + 1
        out.append(Sentence(i, start, end, NORMALIZED[start:end]))
        start = end
    return tuple(out)


SENTENCES = _sentences()


def m(surface: str, nth: int = 0) -> Mention:
    """The nth occurrence of ``surface`` in the normalized text, with its sentence index."""
    start = -1
    for _ in range(nth + 1):
        start = NORMALIZED.index(surface, start + 1)
    end = start + len(surface)
    sentence = next(s.index for s in SENTENCES if s.start <= start < s.end)
    return Mention(surface, start, end, sentence)


def build_extraction() -> Extraction:
    raw = RawReport(
        report_id=REPORT_ID,
        source="data/reports/qingxi-test-2022.txt",
        text=ORIGINAL,
        sha256="ab" * 32,
        encoding="utf-8",
        title="清溪县壮大村级集体经济工作总结",
        publisher="中共清溪县委组织部",
        date="2022-11-03",
        url="https://example.org/qingxi/2022/1103.html",
    )
    report = NormalizedReport(raw, NORMALIZED, OFFSETS)
    regions = (
        # parent 河阳省 is NOT in the extraction: it becomes a link-only node region/990000
        Region("柳川市", "city", code="990100", parent="河阳省", parent_code="990000",
               mentions=(m("柳川市"),)),
        Region("清溪县", "county", code="990121", parent="柳川市", parent_code="990100",
               aliases=("清溪",), mentions=(m("清溪县", 3),)),
        Region("石门镇", "township", parent="清溪县", parent_code="990121", mentions=(m("石门镇"),)),
        Region("桃源村", "village", parent="石门镇", mentions=(m("桃源村", 1),)),
    )
    actors = (
        Actor("清溪县农业农村局", "GovernmentAgency", region="清溪县",
              aliases=("县农业农村局",), mentions=(m("清溪县农业农村局"),)),
        Actor("中共清溪县委员会", "PartyOrganization", region="清溪县",
              aliases=("中共清溪县委", "县委"), mentions=(m("中共清溪县委"),)),
        Actor("柳川丰源农业发展有限公司", "Enterprise", region="柳川市",
              mentions=(m("柳川丰源农业发展有限公司"),)),
        Actor("清溪县农村信用合作联社", "FinancialInstitution", region="清溪县",
              aliases=("县农信社",), mentions=(m("县农信社"),)),
        Actor("桃源村果蔬专业合作社", "Cooperative", region="桃源村",
              mentions=(m("桃源村果蔬专业合作社"),)),
        Actor("清溪县乡村振兴促进会", "SocialOrganization", region="清溪县",
              mentions=(m("清溪县乡村振兴促进会"),)),
        Actor("王明远", "Person", region="桃源村", post="村党支部书记", mentions=(m("王明远"),)),
    )
    programs = (
        Program("强村富民行动", region="清溪县", aliases=("强村富民",),
                mentions=(m("强村富民"), m("强村富民行动"))),
    )
    documents = (
        Document("清溪县村级集体经济发展扶持办法", issuer="清溪县农业农村局",
                 mentions=(m("清溪县村级集体经济发展扶持办法"),)),
    )
    fundings = (
        Funding(Decimal("18400000"), m("县农信社向桃源村果蔬专业合作社发放“强村富民”贷款22笔1840万元"),
                kind="loan", funder="清溪县农村信用合作联社", recipient="桃源村果蔬专业合作社",
                program="强村富民行动", count=22, count_unit="笔", year=2022),
        Funding(Decimal("6.4E+6"), m("中央财政下达补助资金640万元"), kind="grant", funder="中央财政",
                recipient="村级集体经济组织", count=128, count_unit="个村"),
    )
    measures = (
        Measure("issued", "清溪县村级集体经济发展扶持办法", m("清溪县农业农村局印发《清溪县村级集体经济发展扶持办法》"),
                actor="清溪县农业农村局"),
        Measure("signed", "帮扶协议", m("签订帮扶协议"), actor="柳川丰源农业发展有限公司"),
    )
    return Extraction(
        report=report,
        sentences=SENTENCES,
        jurisdiction="清溪县",
        regions=regions,
        actors=actors,
        programs=programs,
        documents=documents,
        fundings=fundings,
        measures=measures,
    )


def build_second_extraction() -> Extraction:
    """A second, smaller report that mentions one of the same actors (shared IRI)."""
    text = "清溪县农业农村局召开强村富民推进会。"
    raw = RawReport("qingxi-meeting-2023", "qingxi-meeting-2023.txt", text, "cd" * 32, "utf-8",
                    title=None, publisher=None, date="2023年5月")
    report = NormalizedReport(raw, text, tuple(range(len(text) + 1)))
    sent = (Sentence(0, 0, len(text), text),)
    actor_m = Mention("清溪县农业农村局", 0, 8, 0)
    return Extraction(
        report=report,
        sentences=sent,
        actors=(Actor("清溪县农业农村局", "GovernmentAgency", mentions=(actor_m,)),),
        measures=(Measure("held", "强村富民推进会", Mention(text[:-1], 0, len(text) - 1, 0),
                          actor="清溪县农业农村局"),),
    )
