"""`python -m eclipse`: the same as the `eclipse` command."""

import sys

from .cli import main

sys.exit(main())
