"""Command-line entry point: headless commands, or the GUI when no command is given.

Each headless command lives in its own module under :mod:`studio.commands` with two
functions, ``add_parser(subparsers)`` and ``run(args) -> int``; adding a command is one line
in :data:`COMMANDS`. Exit codes (docs/cli.md): 0 success, 2 bad input (one ``error:`` line
on stderr, no traceback), 1 internal failure.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
import traceback
from collections.abc import Sequence

from studio import __version__
from studio.core.base.errors import Cancelled, UserError
from studio.core.base.i18n import LANGUAGES, set_language
from studio.core.base.logs import log_to_stderr

COMMANDS: tuple[str, ...] = (
    "templates",
    "new",
    "summary",
    "check_data",
    "train",
    "export",
    "predict",
    "runs",
    "schema",
    "lr_find",
    "sweep",
    "report",
    "scale",
    "lab",
    "cache",
)


#: accepted before or after the command: diagnostics (the ``studio.*`` loggers) down to debug
VERBOSE = ("-v", "--verbose")
VERBOSE_HELP = "also print diagnostic log lines (debug and up) on stderr"


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a single ``error:`` line (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every command module's sub-parser."""
    parser = _Parser(
        prog="cnn-studio",
        description="CNN Studio: design, train and export CNNs. "
        "Run with no command (or a project file) to open the studio window; "
        "--lang ko (or en) before it opens the window in that language for this session.",
    )
    parser.add_argument("--version", action="version", version=f"cnn-studio {__version__}")
    parser.add_argument(*VERBOSE, action="store_true", help=VERBOSE_HELP)
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=None,
        help="language of messages (default: from LANG / LC_MESSAGES)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"studio.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"studio.commands.{name}":
                continue  # a command still being built
            raise
        p = module.add_parser(sub)
        p.add_argument(*VERBOSE, action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP)
        p.set_defaults(_run=module.run)
    return parser


def _is_command(argv: Sequence[str]) -> bool:
    if not argv:
        return False
    first = argv[0]
    return first.startswith("-") or first.replace("-", "_") in COMMANDS


def _gui_language(argv: Sequence[str]) -> tuple[str, list[str]] | None:
    """``(language, rest)`` when ``argv`` is ``--lang X [PROJECT]`` (or ``--lang=X``): the window
    in that language rather than a command; None otherwise."""
    if argv and argv[0].startswith("--lang="):
        lang, rest = argv[0].split("=", 1)[1], list(argv[1:])
    elif len(argv) >= 2 and argv[0] == "--lang":
        lang, rest = argv[1], list(argv[2:])
    else:
        return None
    if lang not in LANGUAGES or len(rest) > 1 or _is_command(rest):
        return None  # a bad language or a command after it: the parser says what is wrong
    return lang, rest


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # no space; over quota


def _stderr(text: str) -> None:
    """Write ``text`` to stderr; what it cannot encode (a name with a lone surrogate) is escaped."""
    try:
        sys.stderr.write(text)
    except UnicodeEncodeError:
        sys.stderr.write(text.encode("ascii", "backslashreplace").decode("ascii"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run a headless command, or open the GUI (optionally with a project file)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    gui_language = _gui_language(argv)
    if gui_language is not None or not _is_command(argv):
        from studio.app import run_gui  # lazy: Qt (and the window) only when no command is given

        language, rest = gui_language or (None, argv)
        if language:
            set_language(language)  # the core's messages too
        return run_gui(rest[0] if rest else None, language=language)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2

    for stream in (sys.stdout, sys.stderr):  # a name the terminal cannot show is escaped, not a crash
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    log_to_stderr(verbose=args.verbose)
    try:
        return int(args._run(args) or 0)
    except Cancelled as exc:
        sys.stderr.write(f"{exc}\n")
        return 130
    except UserError as exc:
        _stderr(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except OSError as exc:
        if exc.errno not in _DISK_FULL:
            sys.stderr.write("internal error (please report it):\n" + traceback.format_exc())
            return 1
        where = f" while writing {exc.filename}" if exc.filename else ""
        _stderr(
            f"error: the disk is full{where} ({exc.strerror}); free some space and run the "
            "command again (a training run continues from its last checkpoint with --resume)\n"
        )
        return 2
    except Exception:  # a bug: say so, keep the traceback for the report
        sys.stderr.write("internal error (please report it):\n" + traceback.format_exc())
        return 1
