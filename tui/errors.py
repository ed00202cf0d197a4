"""Errors a user can cause and fix; their messages are written for the user.

Kept in a module of their own, free of imports, so that the command line can
catch them without loading the rest of the package.
"""


class UserError(Exception):
    """A mistake the user can fix; the message says how."""


class DraftError(UserError):
    """A draft that cannot be found or read."""
