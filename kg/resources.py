"""Where the project's own files are: the ontology, the SHACL shapes, the canned queries.

Paths are relative to the project folder (the parent of the ``kg`` package), or to
``$KG_HOME`` when that is set.

>>> ontology_path().name, shapes_path().name, queries_dir().name
('policy.ttl', 'shapes.ttl', 'queries')
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "ontology_path", "shapes_path", "queries_dir"]


def project_root() -> Path:
    """``$KG_HOME`` if set, else the folder that holds the ``kg`` package."""
    home = os.environ.get("KG_HOME")
    if home:
        return Path(home).expanduser().resolve()
    return Path(__file__).resolve().parent.parent


def ontology_path() -> Path:
    """The OWL ontology in Turtle."""
    return project_root() / "ontology" / "policy.ttl"


def shapes_path() -> Path:
    """The SHACL shapes in Turtle."""
    return project_root() / "ontology" / "shapes.ttl"


def queries_dir() -> Path:
    """The folder of canned ``*.rq`` queries."""
    return project_root() / "queries"
