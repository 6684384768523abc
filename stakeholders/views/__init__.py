"""Views of the stakeholders app, split by concern."""
