"""Accounts from the intranet: invitations, roles, deactivation, second-factor resets
(docs/konten.md). Access is decided by the kernel's rules (soest_office/rules.py)."""
