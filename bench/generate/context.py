"""What the parts of one generation run share: the counts at scale 1, the seeded random
generator, the bulk writer, the fixed "now", the progress printer and two small helpers."""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from .words import SENTENCES
from .writer import Writer

COUNTS = {
    "municipalities": 40,
    "users": 200,
    "projects": 2_000,
    "milestones": 20_000,
    "reports": 60_000,
    "organisations": 8_000,
    "contacts": 30_000,
    "interactions": 200_000,
    "lists": 300,
    "releases": 5_000,
    "deliveries": 500_000,
    "receipts": 20_000,
    # The busiest project's receipts (the ledger and Verwendungsnachweis scenarios).
    "receipts_busiest": 1_000,
    # The Lenkungskreis (issue 17): one body's meetings and action items.
    "meetings": 200,
    "action_items": 5_000,
    # The contributions on the busiest public project's participation (issue 18).
    "contributions_busiest": 2_000,
}


def scaled(name: str, scale: float) -> int:
    return max(1, round(COUNTS[name] * scale))


@dataclass
class Run:
    """One generation run. Every part draws from the same random generator in a fixed order,
    so the same scale and seed give the same rows."""

    scale: float
    rnd: random.Random
    w: Writer
    now: dt.datetime
    step: Callable[[str], None]

    def date_between(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rnd.randint(0, max(0, (b - a).days)))

    def text(self, n=2):
        return " ".join(self.rnd.sample(SENTENCES, n))
