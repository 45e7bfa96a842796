"""``kg serve``: browse the graph in a browser and query it over the SPARQL 1.1 Protocol.

One local web application over the embedded store (or over a SPARQL server, given its
``http(s)://`` URL):

* ``/sparql`` — SPARQL 1.1 Protocol endpoint (query by GET and POST, update by POST with the
  update token, results as SPARQL JSON/XML/CSV/TSV, graphs as Turtle/N-Triples/JSON-LD/RDF-XML,
  service description on a bare GET);
* ``/store`` — SPARQL 1.1 Graph Store HTTP Protocol (``?graph=IRI`` or ``?default``);
* ``/``, ``/search``, ``/entity``, ``/report``, ``/network``, ``/query``, ``/analytics``,
  ``/track`` — server-rendered browse pages that work offline (indicator charts are inline SVG,
  :mod:`kg.serve.charts`).

Every query runs in a worker process under a time limit and a row limit
(:mod:`kg.serve.pool`); SERVICE and LOAD are refused unless enabled.

This module stays light (the worker processes import :mod:`kg.serve.jobs` through it);
:func:`create_app` and :func:`serve` import the web stack when called.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["create_app", "serve"]


def create_app(store_location: str | os.PathLike[str], **options: Any) -> Any:
    """The Starlette application over the store folder (or SPARQL server URL) ``store_location``.

    The options (update token, time and row limits, worker counts) are those of
    :func:`kg.serve.app.create_app`, imported only now to keep this module light.
    """
    from kg.serve.app import create_app as _create

    return _create(store_location, **options)


def serve(store_location: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Serve the application with uvicorn until interrupted."""
    from kg.serve.app import serve as _serve

    _serve(store_location, host=host, port=port, **options)
