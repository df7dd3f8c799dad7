"""The errors a dataset can raise, shared by the loaders, the health scan and the GUI.

All are :class:`~studio.core.base.errors.UserError`: the CLI prints them as one ``error:`` line,
the GUI shows them on the Data page.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.core.base.errors import Cancelled, UserError


class DatasetError(UserError):
    """A dataset that cannot be used as configured (empty folder, class without images...)."""


class DatasetMissingError(DatasetError):
    """The dataset's files are not where the project says; the message names the folder and files."""


class DataCancelled(Cancelled):
    """The user cancelled a long dataset operation (loading, scanning)."""


def check_cancel(cancel: Callable[[], bool] | None, what: str = "loading the dataset") -> None:
    """Raise :class:`DataCancelled` when ``cancel()`` says so."""
    if cancel is not None and cancel():
        raise DataCancelled(f"cancelled {what}")
