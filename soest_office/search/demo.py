"""Demo seeding, last step: the search index over everything seeded before (idempotent)."""

from .indexing import rebuild_search_index


def seed(stdout):
    counts = rebuild_search_index()
    stdout.write("Suchindex: " + ", ".join(f"{key} {count}" for key, count in counts.items()))
