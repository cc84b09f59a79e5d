"""Loads tests/reports/factories.py as `reports_factories` (a unique name: tests/ has no packages)."""
import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("reports_factories",
                                               Path(__file__).with_name("factories.py"))
reports_factories = importlib.util.module_from_spec(_spec)
sys.modules["reports_factories"] = reports_factories
_spec.loader.exec_module(reports_factories)
