"""``python -m studio``: the same entry point as ``cnn-studio``."""

import sys

from studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
