"""Regions on invented sentences: every place a report names, at its level, under its parent."""

from kg.extract.common import Finds, Tokens
from kg.extract.regions import find_regions
from kg.pipeline import extract_text
from kg.segment import split_sentences


def regions(text: str, date: str | None = None) -> dict[str, dict]:
    finds = Finds()
    find_regions(text, split_sentences(text), finds, Tokens(text), date=date)
    return {r["name"]: r for r in finds.regions.values()}


def test_a_municipality_is_a_province_written_in_full_or_short() -> None:
    found = regions("新华社重庆5月3日电 近日,北京市一家企业来到重庆。")
    assert found["重庆市"]["level"] == "province" and found["北京市"]["level"] == "province"
    assert found["重庆市"]["parent"] is None


def test_a_county_under_the_province_directly_has_the_province_as_parent() -> None:
    found = regions("仙桃市张沟镇发展龙虾产业。")
    assert found["仙桃市"]["level"] == "county" and found["仙桃市"]["parent"] == "湖北省"


def test_a_renamed_county_keeps_the_name_it_had_on_the_report_date() -> None:
    text = "黔西县某合作社扩大种植。"
    assert list(regions(text, date="2019-06-01")) == ["黔西县"]
    assert list(regions(text, date="2023-06-01")) == ["黔西市"]
    assert list(regions(text)) == ["黔西市"]
