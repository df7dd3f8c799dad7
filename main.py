"""Start CNN Studio: ``python main.py [PROJECT]`` (or a headless command, see ``--help``)."""

import sys

from studio.cli import main

sys.exit(main())
