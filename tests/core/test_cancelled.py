"""One cancellation type: every core "cancelled" exception is a ``Cancelled``, never a ``UserError``."""

from __future__ import annotations

import pytest

from studio.core.base.errors import Cancelled, UserError
from studio.core.data.download import DownloadCancelled
from studio.core.data.errors import DataCancelled, check_cancel
from studio.core.export.exporter import ExportCancelled


@pytest.mark.parametrize("kind", [DataCancelled, DownloadCancelled, ExportCancelled])
def test_every_cancellation_is_caught_as_cancelled_and_not_as_a_user_error(kind: type[Exception]) -> None:
    with pytest.raises(Cancelled):
        raise kind("cancelled")
    assert not issubclass(kind, UserError)  # nothing to fix: the CLI must not print "error:"


def test_check_cancel_raises_the_data_cancellation_only_when_asked() -> None:
    check_cancel(lambda: False)
    with pytest.raises(Cancelled, match="cancelled scanning"):
        check_cancel(lambda: True, "scanning")
