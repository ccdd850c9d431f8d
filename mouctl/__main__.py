"""Allow `python -m mouctl`."""

import sys

try:
    from mouctl.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python starts mouctl: no traceback
    sys.stderr.write("error: interrupted; nothing was changed\n")
    sys.exit(130)

main()
