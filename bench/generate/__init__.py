"""Fill the benchmark database with realistic, seeded, reproducible data at a scale factor.

    python -m bench.generate --scale 1 [--seed 20190901] [--database-url URL]

Scale 1 is ten times the region's real size: 40 municipalities, 2,000 projects, 20,000
milestones, 60,000 progress reports, 30,000 contacts in 8,000 organisations, 200,000
interactions, 300 distribution lists, 5,000 press releases, 500,000 deliveries, 200 users.

Rows are written in bulk, bypassing model instances: COPY on PostgreSQL, executemany on
SQLite, with explicit primary keys so foreign keys need no read-back. The model constraints
hold (traffic-light reasons, percent ranges, snapshots of accepted reports, one delivery per
recipient, contact xor organisation in involvements ...). The same scale and seed give the
same rows. One module per part: `users` (reference data and users), `projects`,
`stakeholders`, `news` (releases and deliveries), run by `dataset`; `__main__` is the
command line.
"""

from .context import COUNTS, scaled
from .dataset import (
    DEFAULT_SEED,
    GENERATOR_VERSION,
    dataset_key,
    ensure_dataset,
    generate,
    rebuild_search_index_parallel,
)
from .stakeholders import BIG_LIST_NAME, BIG_LIST_SIZE
from .words import slugify
from .writer import Writer

__all__ = [
    "BIG_LIST_NAME",
    "BIG_LIST_SIZE",
    "COUNTS",
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "Writer",
    "dataset_key",
    "ensure_dataset",
    "generate",
    "rebuild_search_index_parallel",
    "scaled",
    "slugify",
]
