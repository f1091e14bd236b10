"""Filing: where generated documents go — a local folder, a WebDAV server, Yandex Disk or
Google Drive, chosen by MO_DOCS_FILING_URL (target.py) — behind one interface
(base.Filer), with a registry of every version."""
from service.filing.base import DocumentKey, Filed, Filer, FilingError
from service.filing.local import LocalFiler

__all__ = ["DocumentKey", "Filed", "Filer", "FilingError", "LocalFiler"]
