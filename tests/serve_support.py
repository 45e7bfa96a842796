"""Helpers for the `kg serve` tests: a sample store (built once per test process) and a real
uvicorn server on 127.0.0.1 with a free port, run in a background thread.

The sample store holds the two bundled reports plus a small hostile report: its text names
an organisation ``<img src=x onerror=alert(1)>有限公司`` and contains
``</script><script>alert(1)</script>``; a hand-built extraction of the same report makes
sure those strings are also entity names (the rule-based extractor does not take them as
names), so they reach labels, aliases, the network view and the report text.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The browser tests drive Debian's Chromium (never a downloaded build) at a laptop's window size;
#: screenshots go to out/, or to docs/ with KG_UPDATE_SCREENSHOTS=1 (`make screenshots`).
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / ("docs" if os.environ.get("KG_UPDATE_SCREENSHOTS") else "out") / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}


def chromium_missing() -> str | None:
    """Why the browser tests cannot run on this machine, or None."""
    if (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) or shutil.which(CHROMIUM):
        return None
    return (f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium when apt-get is available "
            "(or set KG_CHROMIUM)")
REPORTS = ROOT / "data" / "reports"

EVIL_ORG = "<img src=x onerror=alert(1)>有限公司"
EVIL_SCRIPT = "</script><script>alert(1)</script>"
EVIL_PROGRAM = f"{EVIL_SCRIPT}工程"
EVIL_REPORT_ID = "hostile-report"
EVIL_TEXT = (
    f"关于{EVIL_ORG}的报告\n"
    f"2022年，县财政局向{EVIL_ORG}拨付资金300万元，支持“{EVIL_SCRIPT}工程”建设。\n"
    f"{EVIL_ORG}与西宁市农业农村局签订合作协议。\n"
)
TOKEN = "test-update-token"


def _hostile_extraction() -> Any:
    from kg.model import Actor, Extraction, Funding, Mention, NormalizedReport, Program, RawReport, Sentence

    text = EVIL_TEXT
    raw = RawReport(EVIL_REPORT_ID, "hostile-report.txt", text, "0" * 64, "utf-8",
                    title=f"关于{EVIL_ORG}的报告", publisher=EVIL_SCRIPT)
    report = NormalizedReport(raw, text, tuple(range(len(text) + 1)))
    sentences = []
    start = 0
    for i, line in enumerate(text.splitlines(keepends=True)):
        sentences.append(Sentence(i, start, start + len(line.rstrip("\n")), line.rstrip("\n")))
        start += len(line)

    def m(surface: str, nth: int = 0) -> Mention:
        pos = -1
        for _ in range(nth + 1):
            pos = text.index(surface, pos + 1)
        sentence = next(s.index for s in sentences if s.start <= pos < s.end)
        return Mention(surface, pos, pos + len(surface), sentence)

    funding_span = f"县财政局向{EVIL_ORG}拨付资金300万元"
    return Extraction(
        report=report,
        sentences=tuple(sentences),
        actors=(
            Actor(EVIL_ORG, "Enterprise", aliases=(f"{EVIL_SCRIPT}公司",), mentions=(m(EVIL_ORG, 1), m(EVIL_ORG, 2))),
            Actor("县财政局", "GovernmentAgency", mentions=(m("县财政局"),)),
            Actor("西宁市农业农村局", "GovernmentAgency", mentions=(m("西宁市农业农村局"),)),
        ),
        programs=(Program(EVIL_PROGRAM, mentions=(m(EVIL_PROGRAM),)),),
        fundings=(
            Funding(Decimal(3000000), m(funding_span), kind="grant", funder="县财政局", recipient=EVIL_ORG,
                    program=EVIL_PROGRAM, year=2022),
        ),
    )


@functools.lru_cache(maxsize=1)
def sample_store_dir() -> Path:
    """A store with the bundled sample reports and the hostile report (built once per process)."""
    from kg import ids
    from kg.pipeline import ingest
    from kg.rdfize import rdfize
    from kg.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="kg-serve-sample-"))
    atexit.register(shutil.rmtree, tmp, True)
    (tmp / "reports").mkdir()
    (tmp / "reports" / "hostile-report.txt").write_text(EVIL_TEXT, encoding="utf-8")
    location = tmp / "store"
    with open_store(location) as store:
        summary = ingest([REPORTS], store, jobs=1)
        assert summary.ok, summary.failures
        # the hostile report: read by the pipeline, then replaced by the hand-built extraction
        ingest([tmp / "reports"], store, jobs=1)
        store.replace_report(ids.report_iri(EVIL_REPORT_ID), rdfize(_hostile_extraction()))
    return location


def copy_store(target: Path) -> Path:
    """A private copy of the sample store (tests that write need one)."""
    dest = Path(target) / "store"
    shutil.copytree(sample_store_dir(), dest)
    return dest


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server the tests started: terminate, then kill if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def ingest_recording_updates(remote: Any, paths: list[Path]) -> tuple[Any, list[str]]:
    """``kg.pipeline.ingest`` into a RemoteStore; also every SPARQL update request it sent."""
    from kg.pipeline import ingest

    sent: list[str] = []
    real = remote.store.update
    remote.store.update = lambda sparql: (sent.append(sparql), real(sparql))[1]
    try:
        return ingest(paths, remote), sent
    finally:
        remote.store.update = real


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``kg serve``'s app under uvicorn in a thread; ``url`` is http://127.0.0.1:PORT."""

    def __init__(self, location: Path, **options: Any) -> None:
        import uvicorn

        from kg.serve import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(location, **options)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="kg-serve-test", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@contextlib.contextmanager
def live_server(location: Path, **options: Any) -> Iterator[LiveServer]:
    server = LiveServer(location, **options).start()
    try:
        yield server
    finally:
        server.stop()


def sample_iri(kind: str, name: str) -> str:
    from kg import ids

    return {"actor": ids.actor_iri, "program": ids.program_iri, "report": ids.report_iri}[kind](name)


def check_browse_pages(client: Any) -> None:
    """``kg serve``'s browse pages over the sample reports, through a Starlette TestClient:
    home, search (traditional script finds the simplified name), an entity page, the network
    view and the analytics page."""
    from urllib.parse import quote

    from kg import ids

    home = client.get("/")
    assert home.status_code == 200 and "西宁" in home.text, home.text[-2000:]
    actor = ids.actor_iri("西宁市农业农村局")
    found = client.get("/search", params={"q": "西寧市農業農村局"})
    assert found.status_code == 200 and quote(actor, safe="") in found.text
    page = client.get("/entity", params={"iri": actor})
    assert page.status_code == 200 and "西宁市农业农村局" in page.text and "/report?iri=" in page.text
    net = client.get("/network")
    assert net.status_code == 200 and "vis-network" in net.text and "西宁市农业农村局" in net.text
    assert client.get("/analytics").status_code == 200


def sparql_select(client: Any, query: str, **params: str) -> list[tuple]:
    """The rows of a SELECT posted to a TestClient's ``/sparql`` endpoint (SPARQL JSON results)."""
    from pyoxigraph import QueryResultsFormat, parse_query_results

    r = client.post("/sparql", data={"query": query, **params}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [tuple(row) for row in parse_query_results(r.content, QueryResultsFormat.JSON)]
