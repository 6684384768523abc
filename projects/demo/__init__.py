"""Demo data of the projects app: sub-projects of the Digitale Modellregion Soest.
`manage.py seed_demo` calls `seed`; the tables are in data.py, the writing in seeding.py.

Idempotent: projects by slug, milestones by title, funding by reference, reports by
reporting date, documents by title. Active projects are dated relative to today so the
dashboard has upcoming and overdue milestones; the Projektbüro's own project keeps its real
funding period 2019-2021.
"""

from .seeding import seed

__all__ = ["seed"]
