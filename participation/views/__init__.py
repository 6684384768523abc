from .office import (
    OfficeDetailView,
    OfficeExportView,
    OfficeListView,
    OfficeSettingsView,
    OfficeSummaryView,
)
from .public import confirm, public_list, submitted, support, support_confirm, withdraw

__all__ = [
    "OfficeDetailView",
    "OfficeExportView",
    "OfficeListView",
    "OfficeSettingsView",
    "OfficeSummaryView",
    "confirm",
    "public_list",
    "submitted",
    "support",
    "support_confirm",
    "withdraw",
]
