"""The logic of the meetings app; views, tasks and tests call these functions."""
