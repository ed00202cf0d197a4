"""rollout-plan: a terminal wizard for GitLab's [AI Model] Rollout Plan issue.

Nothing heavy is imported here: the headless commands must start fast and must
never pull in Textual.
"""

__version__ = "0.2.0"
