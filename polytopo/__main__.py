"""``python -m polytopo``: the ``polytopo`` command."""

import sys

from .cli.app import main

sys.exit(main())
