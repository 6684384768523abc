"""Views of the projects app, split by concern (projects, reports, sub-objects, exports,
per-user settings, public export)."""
