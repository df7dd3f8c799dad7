"""The one family of user-caused errors.

Anything a user can cause (a bad project field, an impossible layer, a missing dataset, an
unreadable file) raises a :class:`UserError` whose message names the cause and the fix. The
CLI prints it as one ``error:`` line and exits 2; the GUI shows it where it happened.
Anything else is a bug: exit 1.
"""


class UserError(Exception):
    """An error the user can fix; ``str(err)`` is the complete message."""


class Cancelled(Exception):  # noqa: N818 - a request honoured, not an error
    """The user cancelled a long operation (loading, scanning, downloading, exporting).

    Not a :class:`UserError`: nothing is wrong and there is nothing to fix. Every
    cancellation of the core derives from it, so callers catch this one type (the GUI's task
    runner reports it as "cancelled", the engine as a stopped run).
    """


class ProjectError(UserError, ValueError):
    """A user-caused problem in a project, located by a dotted field path.

    A bad layer (``model.layers[3]...``) also carries ``layer`` (its index) and ``layer_type``
    so that ``summary`` and the designer can report it on that layer's row (docs/contract.md).
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        self.layer: int | None = None
        self.layer_type: str | None = None
        super().__init__(f"{path}: {message}" if path else message)
