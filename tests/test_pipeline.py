"""The whole chain on the bundled sample reports: evidence spans and aliases."""

from pathlib import Path

import pytest

from kg.normalize import to_simplified
from kg.pipeline import analyze, analyze_paths, extract_text
from kg.read import read_report
from kg.resolve import canonical_actor_name, jurisdiction_chain
from kg.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def extractions(sample_reports: list[Path]) -> list:
    return [analyze(read_report(p)) for p in sample_reports]


def _spans(x):
    for group in (x.regions, x.actors, x.programs, x.documents):
        for item in group:
            yield from item.mentions
    for f in x.fundings:
        yield f.evidence
    for m in x.measures:
        yield m.evidence


def test_every_evidence_span_points_at_its_text_in_the_original_file(extractions) -> None:
    checked = 0
    for x in extractions:
        original = Path(x.report.raw.source).read_text(encoding="utf-8").replace("\r\n", "\n")
        assert original == x.report.raw.text
        for m in _spans(x):
            o_start, o_end = x.report.original_span(m.start, m.end)
            # The original is traditional script with pinyin readings in one sample:
            # converting the original span gives the normalized surface back.
            assert to_simplified(original[o_start:o_end]) == m.surface, (x.report.raw.report_id, m)
            sentence = x.sentences[m.sentence]
            assert sentence.start <= m.start and m.end <= sentence.end
            checked += 1
    assert checked > 100


def test_pinyin_report_spans_cover_the_readings(extractions) -> None:
    qinzhou = next(x for x in extractions if x.report.raw.report_id.startswith("qinzhou"))
    region = next(r for r in qinzhou.regions if r.name == "秦州区")
    m = region.mentions[0]
    o_start, o_end = qinzhou.report.original_span(m.start, m.end)
    assert qinzhou.report.raw.text[o_start:o_end] == "秦州區"
    funding = next(f for f in qinzhou.fundings if f.amount_cny == 26000000)
    o_start, o_end = qinzhou.report.original_span(funding.evidence.start, funding.evidence.end)
    assert "2600萬元" in qinzhou.report.raw.text[o_start:o_end]


def test_sample_facts(extractions) -> None:
    xining = next(x for x in extractions if x.report.raw.report_id.startswith("xining"))
    assert xining.jurisdiction == "西宁市"
    funders = {(f.funder, int(f.amount_cny)) for f in xining.fundings}
    assert ("西宁市信保集团", 150000000) in funders
    qinzhou = next(x for x in extractions if x.report.raw.report_id.startswith("qinzhou"))
    assert ("中央三部委", 26000000) in {(f.funder, int(f.amount_cny)) for f in qinzhou.fundings}


def test_aliases_resolve_to_one_name_across_reports() -> None:
    a = extract_text("西宁市大力推进“三乡工程”,西宁农商银行发放贷款500万元。", report_id="a")
    b = extract_text("西宁市城北区召开推介会,西宁市农商银行授信2000万元。", report_id="b")
    name_a = {x.name for x in a.actors if x.type == "FinancialInstitution"}
    name_b = {x.name for x in b.actors if x.type == "FinancialInstitution"}
    assert name_a == name_b == {"西宁农商银行"}  # one bank, one name, as the reports spell it
    bank_b = next(x for x in b.actors if x.name == "西宁农商银行")
    assert "西宁市农商银行" in bank_b.aliases


def test_short_forms_use_the_report_jurisdiction() -> None:
    chain = jurisdiction_chain("西宁市", load_gazetteer())
    assert canonical_actor_name("市信保集团", chain) == "西宁市信保集团"
    assert canonical_actor_name("省农业农村厅", chain) == "青海省农业农村厅"
    chain = jurisdiction_chain("秦州区", load_gazetteer())
    assert canonical_actor_name("区委", chain) == "秦州区委"
    assert canonical_actor_name("市委", chain) == "天水市委"


def test_bad_files_do_not_stop_the_batch(tmp_path: Path, sample_reports: list[Path]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    results = list(analyze_paths([tmp_path, tmp_path / "missing.txt", sample_reports[0]]))
    failures = [r for r in results if not hasattr(r, "report")]
    good = [r for r in results if hasattr(r, "report")]
    assert len(good) == 1
    reasons = {Path(f.path).name: f.reason for f in failures}
    assert set(reasons) == {"empty.txt", "binary.txt", "missing.txt"}
    assert all(reason for reason in reasons.values())


def test_process_pool_gives_the_same_result_when_it_runs(sample_reports: list[Path], monkeypatch) -> None:
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "POOL_MIN_BYTES", 0)  # the samples alone would not start the pool
    two = [r.fundings for r in analyze_paths(sample_reports, jobs=2)]
    assert two == [r.fundings for r in analyze_paths(sample_reports, jobs=1)]


def test_the_last_window_of_reports_is_written_in_a_batch_of_its_own(
        tmp_path: Path, sample_reports: list[Path], monkeypatch) -> None:
    # Once every report is handed to a worker, what is collected is written while the workers
    # finish: the batch written after all analysis (one core idle) is only the last window.
    import shutil

    import kg.pipeline
    from kg.store import KgStore, open_store

    monkeypatch.setattr(kg.pipeline, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(kg.pipeline, "BATCH_MIN_QUADS", 10**9)  # otherwise one batch for them all
    texts = [p for p in sample_reports if p.suffix == ".txt"]
    for copy in range(40 // len(texts) + 1):
        for p in texts:
            shutil.copy(p, tmp_path / f"{p.stem}-{copy}.txt")
    n = len(list(tmp_path.glob("*.txt")))
    batches: list[int] = []
    write = KgStore.write_reports

    def counted(self, prepared):
        batches.append(len(prepared))
        return write(self, prepared)

    monkeypatch.setattr(KgStore, "write_reports", counted)
    with open_store(":memory:") as store:
        summary = kg.pipeline.ingest([tmp_path], store, jobs=2, batch_quads=10**9)
    assert summary.ok and summary.reports == n
    assert batches == [n - kg.pipeline._window(2), kg.pipeline._window(2)]


def _no_pool(*args, **kwargs):
    raise AssertionError("a worker pool was started for work that does not pay for it")


def test_no_worker_pool_for_one_report_or_nothing_to_do(sample_reports: list[Path], monkeypatch) -> None:
    import kg.pipeline
    from kg.store import open_store

    monkeypatch.setattr(kg.pipeline, "ProcessPoolExecutor", _no_pool)
    with open_store(":memory:") as store:
        first = kg.pipeline.ingest([sample_reports[0]], store, jobs=2)
        assert first.ok and first.reports == 1
        # nothing to analyse: the hashes are compared here, so even a zero threshold starts no pool
        monkeypatch.setattr(kg.pipeline, "POOL_MIN_BYTES", 0)
        again = kg.pipeline.ingest([sample_reports[0]], store, jobs=2, skip_existing=True)
        assert again.ok and again.reports == 0 and again.skipped == 1


def test_a_folder_without_reports_is_a_failure(tmp_path: Path, sample_reports: list[Path]) -> None:
    from kg.pipeline import NO_REPORTS, report_items

    (tmp_path / "notes.md").write_text("not a report", encoding="utf-8")
    items = list(report_items([tmp_path, sample_reports[0], sample_reports[0].parent]))
    assert [str(i) for i in items if not isinstance(i, Path)] == [f"{tmp_path}: {NO_REPORTS}"]
    assert sorted(p.name for p in items if isinstance(p, Path)) == sorted(p.name for p in sample_reports)


def test_a_long_report_is_analysed_in_windows_with_the_same_facts(sample_reports: list[Path], monkeypatch) -> None:
    """Windows of a few sentences give the facts of the whole, every evidence span still on its text."""
    import kg.pipeline

    for path in sample_reports:
        raw = read_report(path)
        whole = analyze(raw)
        monkeypatch.setattr(kg.pipeline, "WINDOW_CHARS", 400)
        windowed = analyze(raw)
        monkeypatch.undo()
        assert len(windowed.report.text) > 3 * 400  # several windows
        for kind in ("regions", "actors", "programs", "documents"):
            assert {i.name if hasattr(i, "name") else i.title for i in getattr(windowed, kind)} == {
                i.name if hasattr(i, "name") else i.title for i in getattr(whole, kind)}, kind
        assert sorted((f.amount_cny, f.funder or "", f.evidence.start) for f in windowed.fundings) == sorted(
            (f.amount_cny, f.funder or "", f.evidence.start) for f in whole.fundings)
        for m in _spans(windowed):
            sentence = windowed.sentences[m.sentence]
            assert windowed.report.text[m.start:m.end] == m.surface
            assert sentence.start <= m.start and m.end <= sentence.end


def test_text_without_sentence_marks_is_cut_into_bounded_sentences() -> None:
    from kg.segment import MAX_SENTENCE_CHARS, split_sentences

    text = "县财政局下达资金200万元，支持村集体经济发展，" * 2000  # 48,000 characters, no sentence mark
    sentences = split_sentences(text)
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS
    assert "".join(s.text for s in sentences) == text  # nothing lost, nothing doubled
    assert all(s.text.endswith("，") for s in sentences[:-1])  # cut at clause marks


def test_a_very_large_report_is_written_in_slices_with_its_hash_last(sample_reports: list[Path], monkeypatch) -> None:
    import kg.store
    from kg.pipeline import ingest
    from kg.store import open_store

    with open_store(":memory:") as whole:
        assert ingest(sample_reports, whole).ok
        expected = set(whole.store)
    monkeypatch.setattr(kg.store, "SLICE_BYTES", 20_000)  # every sample report is "very large" now
    with open_store(":memory:") as sliced:
        assert ingest(sample_reports, sliced).ok
        assert set(sliced.store) == expected
        assert ingest(sample_reports, sliced).ok  # written again: replaced, not doubled
        assert set(sliced.store) == expected

    real = kg.store._slices_hash_last

    def killed_after_one_slice(nquads: bytes, size: int):
        pieces = real(nquads, size)
        yield next(pieces)
        raise OSError("killed")

    with open_store(":memory:") as store:
        monkeypatch.setattr(kg.store, "_slices_hash_last", killed_after_one_slice)
        assert not ingest(sample_reports[:1], store).ok
        assert store.report_hashes() == {} and store.count_quads() > 0  # partial, but without its hash
        monkeypatch.setattr(kg.store, "_slices_hash_last", real)
        again = ingest(sample_reports[:1], store, skip_existing=True)
        assert again.reports == 1 and again.skipped == 0
        assert set(store.store) == {q for q in expected if q.graph_name == next(iter(store.store)).graph_name}
