"""Allow `python -m mouctl`."""

from mouctl.cli import main

main()
