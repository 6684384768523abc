"""Demo contacts of the model region: organisations, people, a press list with journalists
under legitimate interest, consents, interactions and involvements in the demo projects.

Idempotent: everything is keyed on natural keys (organisation name, contact e-mail, list
name); legal-basis records and interactions are only added once per contact.
"""

from .seeding import seed

__all__ = ["seed"]
