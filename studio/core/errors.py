"""The one family of user-caused errors.

Anything a user can cause (a bad project field, an impossible layer, a missing dataset, an
unreadable file) raises a :class:`UserError` whose message names the cause and the fix. The
CLI prints it as one ``error:`` line and exits 2; the GUI shows it where it happened.
Anything else is a bug: exit 1.
"""


class UserError(Exception):
    """An error the user can fix; ``str(err)`` is the complete message."""
