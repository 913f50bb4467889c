"""`python -m analysis` runs the pipeline command line."""

import sys

from analysis.cli import main

sys.exit(main())
