"""``cnn-studio cache [--clear]``: show or clear the decoded-image cache.

Folder datasets are decoded once into a uint8 cache in the user's cache folder
(:mod:`studio.core.data.decode_cache`); this command prints where it is, how many datasets it
holds, its size and its limit, and ``--clear`` deletes it (the next run rebuilds what it
needs). Exit 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from studio.core.base.i18n import tr


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "cache",
        help="show or clear the decoded-image cache",
        description="Show where the decoded-image cache of folder datasets is, how much it "
        "holds and its limit (CNN_STUDIO_CACHE_LIMIT_MB); --clear deletes it.",
    )
    p.add_argument(
        "--clear", action="store_true", help="delete every cached decoded image and dataset statistic"
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Print the cache's state, clearing it first when asked."""
    from studio.core.data.decode_cache import cache_info, clear_cache  # lazy: pulls in torch

    if args.clear:
        freed = clear_cache()
        print(tr("cleared the decoded-image cache: {mb:,} MB freed", mb=freed >> 20))
    info = cache_info()
    print(
        tr(
            "decoded-image cache: {entries} dataset(s), {mb:,} MB of {limit:,} MB, in {path}",
            entries=info.entries,
            mb=info.bytes >> 20,
            limit=info.limit >> 20,
            path=str(info.folder),
        )
    )
    return 0
