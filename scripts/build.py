"""Entry point: ``python scripts/build.py check | build | schema`` (see kb.cli)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb.cli import main

raise SystemExit(main())
