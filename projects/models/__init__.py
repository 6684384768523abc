"""Models of the projects app, split by concern; import them from here."""

from .documents import Document
from .funding import BudgetLine, Drawdown, FundingDecision
from .ledger import Receipt
from .notifications import DigestRun, Notification, ProjectUserSettings, new_calendar_token
from .project import (
    MONEY,
    FieldOfAction,
    Milestone,
    Project,
    ProjectContact,
    ProjectQuerySet,
)
from .proofs import ProofRecord
from .reporting import SNAPSHOT_FIELDS, ProgressReport, ProgressReportQuerySet

__all__ = [
    "MONEY",
    "SNAPSHOT_FIELDS",
    "BudgetLine",
    "DigestRun",
    "Document",
    "Drawdown",
    "FieldOfAction",
    "FundingDecision",
    "Milestone",
    "Notification",
    "ProgressReport",
    "ProgressReportQuerySet",
    "Project",
    "ProjectContact",
    "ProjectQuerySet",
    "ProjectUserSettings",
    "ProofRecord",
    "Receipt",
    "new_calendar_token",
]
