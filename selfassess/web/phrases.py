"""Showing the domain's sentences (:mod:`selfassess.domain.phrases`) in the reader's language:
the one rule every page and document uses, ``selfassess.documents.language.said``."""

from __future__ import annotations

from selfassess.documents.language import said as translated

__all__ = ["translated"]
