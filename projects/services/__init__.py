"""The service API of the projects app: its writes. Views, tasks, the admin and the demo
call these names from here; the modules of this package import each other directly.

Each is atomic; notifications they cause are queued only after commit (notifications.py).
Display formatting lives in projects.display, read models in projects.selectors.
"""

from .documents import document_delete, document_upload
from .milestones import milestone_set_done
from .projects import (
    PARTICIPANTS_REASON,
    ProjectConflict,
    participants_change_reason,
    project_archive,
    project_create,
    project_describe,
    project_set_status,
    project_update,
)
from .reports import (
    report_accept,
    report_municipality_for,
    report_return,
    report_save,
    report_submit,
)
from .user_settings import calendar_token_renew, calendar_token_revoke, user_settings_for

__all__ = [
    "PARTICIPANTS_REASON",
    "ProjectConflict",
    "calendar_token_renew",
    "calendar_token_revoke",
    "document_delete",
    "document_upload",
    "milestone_set_done",
    "participants_change_reason",
    "project_archive",
    "project_create",
    "project_describe",
    "project_set_status",
    "project_update",
    "report_accept",
    "report_municipality_for",
    "report_return",
    "report_save",
    "report_submit",
    "user_settings_for",
]
