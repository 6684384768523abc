from .consent import current_consent_text
from .mails import confirmation_send, decision_send, support_confirmation_send
from .moderation import ModerationError, contribution_answer, contribution_moderate
from .public import (
    Outcome,
    confirm_check,
    contribution_confirm,
    contribution_submit,
    contribution_withdraw,
    email_hash,
    support_allowed,
    support_check,
    support_confirm,
    support_request,
    withdraw_check,
)
from .rate_limits import address_rate_exceeded, ip_rate_exceeded
from .retention import retention_apply

__all__ = [
    "ModerationError",
    "Outcome",
    "address_rate_exceeded",
    "confirm_check",
    "confirmation_send",
    "contribution_answer",
    "contribution_confirm",
    "contribution_moderate",
    "contribution_submit",
    "contribution_withdraw",
    "current_consent_text",
    "decision_send",
    "email_hash",
    "ip_rate_exceeded",
    "retention_apply",
    "support_allowed",
    "support_check",
    "support_confirm",
    "support_confirmation_send",
    "support_request",
    "withdraw_check",
]
