"""Demo data: the Israel-Hamas talks as curated from our own seed article.

``cairo_impasse.json`` says where its contents come from; ``load_demo`` reads it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEMO_DIR = Path(__file__).resolve().parent
CAIRO_IMPASSE = DEMO_DIR / "cairo_impasse.json"


def load_data(path: Path = CAIRO_IMPASSE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
