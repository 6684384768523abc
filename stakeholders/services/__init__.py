"""Writes and domain rules of the stakeholders app, one module per concern:

- `recipients`: who may be written to (lists, mailings);
- `legal_basis`: the current legal basis per purpose, new records, withdrawals;
- `history`: the contact history (Kontakthistorie), incl. sent press mailings;
- `lists`: the contact list's bulk actions (add to a distribution list, tag);
- `merge`: merging two contacts; `erasure`: erasing persons (Art. 17 DSGVO);
- `retention`: flagging contacts kept longer than their rule allows.

Contract for other apps (news relies on these names, keyword-only arguments), importable
from `stakeholders.services`:
- `effective_recipients(distribution_list=...)`
- `recipients_for_purpose(purpose=..., contacts=...)`
- `consent_withdraw(contact=..., purpose=..., source=..., at=None)`
- `interaction_record_mailing(contact=..., subject=..., sent_at=..., project=None)`
- `interactions_record_mailings(mailings=[MailingRecord, ...])` (the batch form of the above)
"""

from .erasure import contact_erase, contacts_erase_bulk
from .history import (
    MailingRecord,
    interaction_log,
    interaction_record_mailing,
    interactions_record_mailings,
)
from .legal_basis import consent_withdraw, current_bases, current_basis, legal_basis_record
from .lists import contacts_tag, list_add_contacts
from .merge import (
    MERGE_FIELDS,
    MergeChoiceError,
    MergeConflict,
    contact_merge,
    merge_conflicts,
    merge_fills,
)
from .recipients import effective_recipients, recipients_for_purpose
from .retention import DEFAULT_RETENTION_MONTHS, retention_flag_due

__all__ = [
    "DEFAULT_RETENTION_MONTHS",
    "MERGE_FIELDS",
    "MailingRecord",
    "MergeChoiceError",
    "MergeConflict",
    "consent_withdraw",
    "contact_erase",
    "contact_merge",
    "contacts_erase_bulk",
    "contacts_tag",
    "current_bases",
    "current_basis",
    "effective_recipients",
    "interaction_log",
    "interaction_record_mailing",
    "interactions_record_mailings",
    "legal_basis_record",
    "list_add_contacts",
    "merge_conflicts",
    "merge_fills",
    "recipients_for_purpose",
    "retention_flag_due",
]
