"""akhbar — an Arabic news engine: clean, structured, linked, searchable Arabic news articles."""

from akhbar.archive import Archive, IngestReport, open, parse
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef

__all__ = ["Archive", "Article", "Block", "Failure", "IngestReport", "Provenance", "RelatedRef", "open", "parse"]
__version__ = "0.1.0"
