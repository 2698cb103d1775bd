"""text -> Entry: decoding, the line scan, references, inline spans, slugs, the REF-ID grammar, kinds."""
