"""Fill the benchmark database with realistic, seeded, reproducible data at a scale factor.

python -m bench.generate --scale 1 [--seed 20190901] [--database-url URL] [--force]
"""

import argparse
import json

from .dataset import DEFAULT_SEED, ensure_dataset


def main(argv=None):
    from .. import database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--force", action="store_true", help="neu erzeugen, auch wenn vorhanden")
    args = parser.parse_args(argv)
    url = database.choose_url(args.database_url)
    database.setup_django(url)
    info = ensure_dataset(scale=args.scale, seed=args.seed, force=args.force)
    print(json.dumps(info, indent=2, default=str))


if __name__ == "__main__":
    main()
