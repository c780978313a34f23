"""bench/extraction_eval.py loaded as a module, so tests reuse its matching rule as is."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _load_eval() -> ModuleType:
    # bench/ is not a package.
    spec = importlib.util.spec_from_file_location(
        "extraction_eval", ROOT / "bench" / "extraction_eval.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extraction_eval", module)
    spec.loader.exec_module(module)
    return module


EVAL = _load_eval()
