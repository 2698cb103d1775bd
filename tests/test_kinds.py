"""File kinds (catalogue §1): spec, template, index, matrix, doc, entry; first match wins."""
from __future__ import annotations

import pytest

from checker.parse.kinds import classify


@pytest.mark.parametrize(
    "relpath, kind",
    [
        ("SPEC-Header.md", "spec"),
        ("docs/SPEC-Structure.md", "spec"),
        ("templates/Entry.md", "template"),
        ("support/templates/Whatever.md", "template"),
        ("entries/lesson_learned_template.md", "template"),
        ("entries/Project-Template-Guide.md", "template"),
        ("TMPL-01-Neural-Map-Entry.md", "template"),
        ("aws/lambda/Lambda-Index.md", "index"),
        ("aws/AWS-Quick-Index.md", "index"),
        ("Master-Index-of-Indexes.md", "index"),
        ("index.md", "index"),
        ("INDEX.md", "index"),
        ("projects/LEE/nmp01/NMP00-LEE_Index.md", "index"),
        ("Decisions Index.md", "index"),
        ("aws/dynamodb/AWS-DynamoDB-SecondaryIndexes_AWS-LESS-06.md", "entry"),
        ("entries/Reindex-Notes.md", "entry"),
        ("entries/core/Core-Architecture-Cross-Reference.md", "matrix"),
        ("entries/gateways/Gateway-Cross-Reference-Matrix.md", "matrix"),
        ("README.md", "doc"),
        ("aws/readme.md", "doc"),
        ("support/workflows/Workflow-01.md", "doc"),
        ("context/SESSION-START.md", "doc"),
        ("docs/User-Guide.md", "doc"),
        ("integration/E2E-01.md", "doc"),
        ("redirects/Old.md", "doc"),
        ("shared/Glossary.md", "doc"),
        ("planning/Roadmap.md", "doc"),
        ("entries/docs/Not-Top-Level.md", "entry"),
        ("entries/decisions/architecture/DEC-05.md", "entry"),
        ("aws/general/AWS-General-ProcessingPatterns_AWS-LESS-01.md", "entry"),
    ],
)
def test_classification(relpath, kind):
    assert classify(relpath) == kind


def test_first_match_wins():
    assert classify("templates/SPEC-X.md") == "spec"
    assert classify("support/Tools-Index.md") == "index"
    assert classify("docs/Cross-Reference.md") == "matrix"


def test_configured_globs_are_checked_first():
    globs = {"doc": ("guides/*",), "entry": ("support/lessons/*",)}
    assert classify("guides/Overview.md", globs) == "doc"
    assert classify("support/lessons/LESS-99.md", globs) == "entry"
    assert classify("support/Other.md", globs) == "doc"
