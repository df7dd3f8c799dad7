"""The errors a dataset can raise, shared by the loaders, the health scan and the GUI.

All are :class:`~studio.core.base.errors.UserError`: the CLI prints them as one ``error:`` line,
the GUI shows them on the Data page.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.core.base.errors import Cancelled, UserError
from studio.core.base.i18n import tr


class DatasetError(UserError):
    """A dataset that cannot be used as configured (empty folder, class without images...)."""


class DatasetMissingError(DatasetError):
    """The dataset's files are not where the project says; the message names the folder and files."""


class DataCancelled(Cancelled):
    """The user cancelled a long dataset operation (loading, scanning)."""


def check_cancel(cancel: Callable[[], bool] | None, what: str | None = None) -> None:
    """Raise :class:`DataCancelled` when ``cancel()`` says so; ``what`` is the cancelled work, already
    translated (``tr("the dataset check")``)."""
    if cancel is not None and cancel():
        raise DataCancelled(
            tr("cancelled {what}", what=what) if what else tr("cancelled loading the dataset")
        )
