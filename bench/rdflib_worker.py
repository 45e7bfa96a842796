"""Run queries with rdflib's built-in SPARQL engine on an N-Quads file (a subprocess of the bench).

    python bench/rdflib_worker.py FILE.nq SPEC.json

SPEC is a list of {"name", "text", "params": {var: [value, lang]}, "runs"}; each query
gets at most ``--timeout`` seconds (SIGALRM: rdflib evaluates in Python, so the alarm
interrupts it). rdflib has no LATERAL (SPARQL SEP-0006): the bench sends the plain SPARQL 1.1
forms of the queries that use it (``queries/sparql11/README.md``), which give the same rows. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
import warnings


class Timeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001, ARG001
    raise Timeout()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("nquads")
    parser.add_argument("spec")
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    import rdflib

    warnings.simplefilter("ignore")
    spec = json.load(open(args.spec, encoding="utf-8"))
    out: dict = {"queries": {}}
    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(args.nquads, format="nquads")
    out["load_s"] = time.perf_counter() - t
    out["quads"] = len(ds)
    signal.signal(signal.SIGALRM, _alarm)
    for q in spec:
        text = q["text"]
        bindings = {k: rdflib.Literal(v, lang=lang) for k, (v, lang) in q.get("params", {}).items()}
        times, rows, status = [], None, "ok"
        for _ in range(q.get("runs", 1)):
            signal.alarm(args.timeout)
            t = time.perf_counter()
            try:
                rows = len(list(ds.query(text, initBindings=bindings)))
            except Timeout:
                status = f"timeout>{args.timeout}s"
                break
            except Exception as e:  # noqa: BLE001
                status = f"error: {type(e).__name__}: {str(e)[:200]}"
                break
            finally:
                signal.alarm(0)
            times.append(time.perf_counter() - t)
            if sum(times) > args.timeout:
                break
        out["queries"][q["name"]] = {"times": times, "rows": rows, "status": status}
        print(json.dumps({"progress": q["name"], "status": status, "times": times}), file=sys.stderr, flush=True)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
