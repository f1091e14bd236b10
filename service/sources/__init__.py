"""Sources: where a workbook comes from (.xlsx file, Google Sheet).

Every source yields the same `RawWorkbook`, so the stages to the right never know
which adapter produced it.
"""
from service.sources.base import RawTab, RawWorkbook, SourceError, open_source

__all__ = ["RawTab", "RawWorkbook", "SourceError", "open_source"]
