"""Filing: where generated documents go — a local folder, a WebDAV server, Yandex Disk or
Google Drive, chosen by MO_DOCS_FILING_URL (target.py) — behind one interface
(base.Filer), with a registry of every version.

Import the modules themselves (`service.filing.base`, `.local`, `.target`): this package
imports nothing, so a command that only needs FilingError (`mo-docs validate`) does not
load SQLAlchemy with the local filer's registry (about 0.2 s of a 0.4 s run)."""
