"""Errors a user can cause and fix; their messages are written for the user.

Kept in a module of their own, free of imports, so that the command line can
catch them without loading the rest of the package.
"""


class UserError(Exception):
    """A mistake the user can fix; the message says how."""


class DraftError(UserError):
    """A draft that cannot be found or read."""


class StorageError(UserError, OSError):
    """A file or folder the tool could not read or write (no permission, disk full).

    Also an OSError, so code that already handles a failed save (the wizard keeps
    the text and retries) handles this one the same way; `strerror` is the cause.
    """

    def __init__(self, message: str, cause: OSError | None = None) -> None:
        if cause is None:
            OSError.__init__(self, message)
        else:
            OSError.__init__(self, cause.errno, cause.strerror, cause.filename)
        self.message = message

    def __str__(self) -> str:
        return self.message
