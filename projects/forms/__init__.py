"""The forms of the projects app, by concern: project master data, progress reports, money
(funding decisions, budget lines, drawdowns), the project's other parts (milestones,
documents, contact persons), the user's settings and the funder report. Views and tests
import them from here; the modules of this package import each other directly."""

from .account import UserSettingsForm
from .children import DocumentForm, MilestoneForm, ProjectContactForm
from .common import ROUNDING_TOLERANCE, DateInput, money_field
from .exports import FunderReportForm
from .funding import BudgetLineForm, DrawdownForm, FundingDecisionForm
from .ledger import ProofOfUseForm, ProofSubmittedForm, ReceiptForm
from .projects import RESERVED_SLUGS, ProjectDescriptionForm, ProjectForm
from .reports import ProgressReportForm, ReturnReportForm

__all__ = [
    "RESERVED_SLUGS",
    "ROUNDING_TOLERANCE",
    "BudgetLineForm",
    "DateInput",
    "DocumentForm",
    "DrawdownForm",
    "FunderReportForm",
    "FundingDecisionForm",
    "MilestoneForm",
    "ProgressReportForm",
    "ProjectContactForm",
    "ProjectDescriptionForm",
    "ProjectForm",
    "ProofOfUseForm",
    "ProofSubmittedForm",
    "ReceiptForm",
    "ReturnReportForm",
    "UserSettingsForm",
    "money_field",
]
