"""Contacts of the project office: organisations, people, their legal basis per purpose,
project involvements, the contact history and distribution lists.

The legal basis is an append-only log (`LegalBasisRecord`): only the latest record per
contact and purpose counts, older ones stay as history. A withdrawal and "do not contact"
survive every import and merge (see the services).
"""

from .contacts import Contact, ContactQuerySet, Organisation, OrganisationQuerySet, Tag
from .imports import ImportJob, import_upload_to
from .interactions import Interaction
from .involvements import Involvement, InvolvementQuerySet
from .legal_basis import LegalBasisRecord, Purpose, latest_basis_subquery
from .lists import DistributionList, ListMembership
from .retention import RetentionRule

__all__ = [
    "Contact",
    "ContactQuerySet",
    "DistributionList",
    "ImportJob",
    "Interaction",
    "Involvement",
    "InvolvementQuerySet",
    "LegalBasisRecord",
    "ListMembership",
    "Organisation",
    "OrganisationQuerySet",
    "Purpose",
    "RetentionRule",
    "Tag",
    "import_upload_to",
    "latest_basis_subquery",
]
