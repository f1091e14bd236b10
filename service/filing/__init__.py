"""Filing: where generated documents go (a local folder now, Google Drive later),
behind one interface, with a registry of every version."""
from service.filing.base import DocumentKey, Filed, Filer
from service.filing.local import LocalFiler

__all__ = ["DocumentKey", "Filed", "Filer", "LocalFiler"]
