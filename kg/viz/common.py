"""What reading, reducing and drawing the network view share.

The error, the prefix of stated-name nodes, the node classes (their styles, legend order and
types), the relation labels, and the two small helpers every reader uses: the class an IRI
names and the deterministic choice of one value among several.
"""

from __future__ import annotations

from kg import ids
from kg.errors import KgError
from kg.model import ACTOR_TYPES


class VizError(KgError, ValueError):
    """A network view cannot be built as asked (unknown focus, bad limits)."""


TEXT_PREFIX = "text:"

#: class local name -> (colour, shape, legend label); the order is the legend order.
CLASS_STYLES: dict[str, tuple[str, str, str]] = {
    "GovernmentAgency": ("#4e79a7", "dot", "政府机构 Government agency"),
    "PartyOrganization": ("#e15759", "dot", "党组织 Party organisation"),
    "Enterprise": ("#f28e2b", "dot", "企业 Enterprise"),
    "FinancialInstitution": ("#edc948", "dot", "金融机构 Financial institution"),
    "Cooperative": ("#59a14f", "dot", "合作社 Cooperative"),
    "SocialOrganization": ("#b07aa1", "dot", "社会组织 Social organisation"),
    "Person": ("#ff9da7", "dot", "个人 Person"),
    "Actor": ("#9c755f", "dot", "主体（未分类）Actor"),
    "Region": ("#76b7b2", "triangle", "行政区域 Region"),
    "Program": ("#8cd17d", "star", "项目 Programme"),
    "PolicyDocument": ("#86bcb6", "square", "政策文件 Policy document"),
    "Funding": ("#d37295", "diamond", "资金 Funding"),
    "Report": ("#79706e", "square", "报告 Report"),
    "Text": ("#d7d7d7", "dot", "未链接名称 Stated text"),
}

#: Cluster nodes (hidden nodes collapsed in a reduced view): colour of a mixed cluster, shape, legend label.
#: A cluster of one class keeps that class's colour; every cluster gets a dashed border.
CLUSTER_STYLE = ("#bab0ac", "hexagon", "折叠群 Collapsed cluster (+N hidden nodes)")

_TYPE_OF_CLASS = {t: "actor" for t in (*ACTOR_TYPES, "Actor")} | {
    "Region": "region",
    "Program": "programme",
    "PolicyDocument": "document",
    "Funding": "funding",
    "Report": "report",
    "Text": "text",
}
# When a node carries several classes, the first of this list wins.
_CLASS_PRIORITY = {c: i for i, c in enumerate(CLASS_STYLES)}
# Node class from the IRI path, for a link target that carries no class of its own.
_CLASS_OF_PATH = {
    "actor": "Actor",
    "region": "Region",
    "program": "Program",
    "document": "PolicyDocument",
    "funding": "Funding",
    "report": "Report",
}

#: relation -> label drawn on the edge.
EDGE_LABELS: dict[str, str] = {
    "funder": "出资",
    "recipient": "接收",
    "program": "项目",
    "region": "属于",
    "partOf": "隶属",
    "issuer": "发文",
    "issued": "印发",
    "held": "召开",
    "launched": "启动",
    "signed": "签订",
    "disbursed": "发放",
    "established": "建立",
    "mentionedIn": "见于",
    "jurisdiction": "辖区",
}


def _class_from_iri(iri: str) -> str:
    if iri.startswith(ids.ID):
        return _CLASS_OF_PATH.get(iri[len(ids.ID) :].split("/", 1)[0], "Actor")
    return "Actor"


def _pick(values: set[str]) -> str | None:
    """One deterministic choice: the shortest, then alphabetically first."""
    return min(values, key=lambda v: (len(v), v)) if values else None
