"""policy-kg: Chinese local-government policy reports to an RDF knowledge graph."""

__version__ = "0.1.0"
