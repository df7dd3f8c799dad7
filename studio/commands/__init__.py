"""One module per headless command: ``add_parser(subparsers)`` and ``run(args) -> int``."""
