"""The scenarios of issue 6: which page, as which role, with which parameters.

Each scenario names the URL (by name, so a page that does not exist yet is reported as
"missing" rather than measured against something else) and how to pick its object from the
generated data. `bench.run` measures them; tests/test_bench_query_counts.py pins the query
counts of the same pages at two data sizes.

Background exports (the funder report and the Auskunft as PDF, soest_office.exports) are
measured as the user meets them: the timed request is the POST that starts the job, with the
job only queued as a worker would receive it (`fetch`); `run_jobs` then renders the queued
jobs in-process and reports the job's own runtime, queries and memory separately.

The parts: `scenario` (one scenario and its request), `context` (the objects looked up in the
data), `pages` (the list that `build` returns).
"""

from .context import Context
from .pages import build
from .scenario import Scenario, queued_jobs

__all__ = ["Context", "Scenario", "build", "queued_jobs"]
