"""Patterns an entry describes and its decision tree, for the comparison pages."""
from __future__ import annotations

from .extract import extract
from .model import Cell, DecisionTree, Outcome, Pattern, PatternSet, Question
from .tree import match_pattern

__all__ = ["Cell", "DecisionTree", "Outcome", "Pattern", "PatternSet", "Question", "extract", "match_pattern"]
