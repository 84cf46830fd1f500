"""``python -m polytopo.cli``: the ``polytopo`` command."""

import sys

from .app import main

sys.exit(main())
