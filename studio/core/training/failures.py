"""Turn an exception that ended a training run into a message that says what to do.

The training page shows this message in its log and banner (never a traceback dialog), and
the run folder records it in its ``end`` event. A :class:`~studio.core.base.errors.UserError`
already carries its own message; memory, disk and missing-file failures get the usual fixes;
anything else is a bug, flagged as internal so the caller can keep the traceback for a report.
"""

from __future__ import annotations

import errno
from typing import Any

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr


def _is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    name = type(exc).__name__
    text = str(exc).lower()
    return name == "OutOfMemoryError" or (
        isinstance(exc, RuntimeError)
        and ("out of memory" in text or "can't allocate memory" in text or "not enough memory" in text)
    )


def describe_failure(exc: BaseException, project: Any = None) -> tuple[str, bool]:
    """``(message, internal)`` for an exception that ended a run.

    ``internal`` is True for what looks like a bug (keep the traceback); False for causes the
    user can fix, whose message names the field and the fix. ``project`` (optional) lets the
    out-of-memory advice quote the batch and image size.
    """
    if isinstance(exc, UserError):
        return str(exc), False
    if _is_out_of_memory(exc):
        batch = getattr(getattr(project, "training", None), "batch_size", None)
        size = getattr(getattr(project, "data", None), "image_size", None)
        if batch and size:
            message = tr(
                "training ran out of memory at batch size {batch} with {height}x{width} images: lower "
                "training.batch_size (try {half}), the image size or the width of the network, or train "
                "on the CPU, then start again",
                batch=batch,
                height=size[0],
                width=size[1],
                half=max(1, batch // 2),
            )
        elif batch:
            message = tr(
                "training ran out of memory at batch size {batch}: lower training.batch_size (try "
                "{half}), the image size or the width of the network, or train on the CPU, then start "
                "again",
                batch=batch,
                half=max(1, batch // 2),
            )
        else:
            message = tr(
                "training ran out of memory: lower training.batch_size, the image size or the width of "
                "the network, or train on the CPU, then start again"
            )
        return message, False
    if isinstance(exc, KeyboardInterrupt):
        return tr("training was interrupted"), False
    if isinstance(exc, FileNotFoundError):
        missing = exc.filename or str(exc)
        return tr(
            "a file the run needs is missing: {missing}; check data.root on the Data page (or that the "
            "run folder was not moved), then start again",
            missing=missing,
        ), False
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
        reason = exc.strerror or exc
        if exc.filename:
            message = tr(
                "cannot write the run folder ({filename}): {reason}; free some disk space or save the "
                "project somewhere writable, then start again",
                filename=exc.filename,
                reason=reason,
            )
        else:
            message = tr(
                "cannot write the run folder: {reason}; free some disk space or save the project "
                "somewhere writable, then start again",
                reason=reason,
            )
        return message, False
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    detail = f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
    return tr(
        "internal error ({detail}); the run was marked failed and the app keeps working. The log "
        "holds the details for a bug report.",
        detail=detail,
    ), True
