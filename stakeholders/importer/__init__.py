"""Import of contacts from CSV/XLSX, one module per step:

- `reading`: the file into headers and rows (encodings, separators, sizes);
- `columns`: the target fields, header aliases and cell values the import understands;
- `uploads`: the stored upload (read back, a row corrected in the browser, stale ones deleted);
- `validation`: per-row validation with German messages and matching existing contacts;
- `commit`: the all-or-nothing commit in bulk.

Rules that no import can break: "do not contact" is never lifted, and a current withdrawal
for a purpose is never replaced by an imported consent.
"""

from .columns import (
    ALIASES,
    BASIS_VALUES,
    NO,
    SALUTATIONS,
    TARGETS,
    YES,
    guess_mapping,
)
from .commit import BATCH, PLAIN_FIELDS, ImportRowsInvalid, import_commit, progress_key
from .reading import (
    ImportFileError,
    decode,
    detect_delimiter,
    detect_format,
    max_bytes,
    max_rows,
    read_table,
)
from .uploads import import_cleanup_stale, job_table, table_fix_row, table_to_csv
from .validation import Lookups, RowResult, preview, validate_rows

__all__ = [
    "ALIASES",
    "BASIS_VALUES",
    "BATCH",
    "NO",
    "PLAIN_FIELDS",
    "SALUTATIONS",
    "TARGETS",
    "YES",
    "ImportFileError",
    "ImportRowsInvalid",
    "Lookups",
    "RowResult",
    "decode",
    "detect_delimiter",
    "detect_format",
    "guess_mapping",
    "import_cleanup_stale",
    "import_commit",
    "job_table",
    "max_bytes",
    "max_rows",
    "preview",
    "progress_key",
    "read_table",
    "table_fix_row",
    "table_to_csv",
    "validate_rows",
]
