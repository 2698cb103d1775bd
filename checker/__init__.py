"""sima-check: validate a SIMAv4 knowledge base and publish it as a site."""
from __future__ import annotations

__version__ = "0.1.0"
