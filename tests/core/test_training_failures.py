"""Messages for the exceptions that can end a training run."""

from __future__ import annotations

import errno

from studio.core.base.errors import UserError
from studio.core.project.project_file import Project
from studio.core.training.failures import describe_failure


def test_user_error_keeps_its_message() -> None:
    assert describe_failure(UserError("data.root: /x does not exist")) == (
        "data.root: /x does not exist",
        False,
    )


def test_out_of_memory_suggests_a_smaller_batch() -> None:
    project = Project()
    project.training.batch_size = 256
    for exc in (
        MemoryError(),
        RuntimeError("CUDA out of memory. Tried to allocate 2 GiB"),
        type("OutOfMemoryError", (RuntimeError,), {})("boom"),
    ):
        message, internal = describe_failure(exc, project)
        assert not internal
        assert "batch size 256" in message and "try 128" in message and "28x28" in message


def test_missing_file_and_full_disk() -> None:
    message, internal = describe_failure(FileNotFoundError(2, "No such file", "/data/x.png"))
    assert "/data/x.png" in message and "data.root" in message and not internal
    message, internal = describe_failure(OSError(errno.ENOSPC, "No space left on device", "/runs/a"))
    assert "free some disk space" in message and not internal


def test_anything_else_is_internal() -> None:
    message, internal = describe_failure(ValueError("weird\nsecond line"))
    assert internal
    assert "ValueError: weird" in message and "second line" not in message
