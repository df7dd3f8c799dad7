"""One module per headless command: ``add_parser(subparsers)`` and ``run(args) -> int``.

:func:`studio.cli.build_parser` imports every command module, for ``cnn-studio --help`` too, so
a command module imports at its top only pure-Python core modules; the core modules that pull
in numpy or torch are imported inside ``run``, each marked ``# lazy: pulls in ...``.
"""
