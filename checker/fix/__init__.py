"""Mechanical fixes: planning, applying and diffing them, atomic writes."""
