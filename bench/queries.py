"""Group the SQL of benchmarked pages by shape, most expensive first (finds N+1 queries).

python -m bench.queries project_detail_most_reports contact_list
"""

import collections
import re
import sys

from bench import database, scenarios


def main(names):
    database.setup_django(database.choose_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import Users

    users = Users()
    for s in scenarios.build(scenarios.Context()):
        if s.name not in names or s.missing:
            continue
        client = users.client(s.role)
        client.get(s.url)
        with CaptureQueriesContext(connection) as captured:
            client.get(s.url)
        shapes, total = collections.Counter(), collections.defaultdict(float)
        for q in captured.captured_queries:
            shape = re.sub(r"\b\d+\b", "N", q["sql"])[:160]
            shapes[shape] += 1
            total[shape] += float(q["time"])
        print(f"== {s.name}: {len(captured.captured_queries)} Abfragen")
        for shape, n in sorted(shapes.items(), key=lambda kv: -total[kv[0]])[:8]:
            print(f"  {n:4d}x {total[shape] * 1000:7.1f} ms  {shape}")


if __name__ == "__main__":
    main(sys.argv[1:])
