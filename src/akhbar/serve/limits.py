"""Limits of the HTTP server."""

# A POSTed document larger than this is refused (413): a news article is tens of kilobytes.
MAX_BODY_BYTES = 5 * 1024 * 1024

__all__ = ["MAX_BODY_BYTES"]
