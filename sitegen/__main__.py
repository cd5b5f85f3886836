"""`python -m sitegen`, and the `sitegen` command."""

import sys

from sitegen.cli import main


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
