"""Change detection: read only the spreadsheets that changed since the last look.

Drive's change feed lists every file the service account can see that changed
since a page token, with the file's new `version` — one request for any number of
watched spreadsheets (more only past 1,000 changes).  `sync(watched_ids)` polls it
and reads through the Sheets adapter only the watched spreadsheets whose version
moved; the rest cost nothing.

    feed = ChangeFeed(drive, SqlTokenStore(engine))
    result = SheetSync(feed, reader, cache).sync(watched_ids)
    result.changed   # {spreadsheet id: new version}, each read (2 Sheets requests)

The page token is saved only after the reads, so a crash replays the changes
(the workbook cache makes a replay free).  A read that fails (no access yet, quota)
is retried by the next sync.  Both the token and the version last read of every
watched sheet are kept in the service database (`SqlTokenStore`,
`SqlSheetVersions`): after a restart the first sync reads nothing that did not change.

The feed also lists the service's own changes — the documents it files into Drive.
They are recognised (last modified by the service account itself, or carrying the
filer's `appProperties`) and dropped at once: they are never taken for a register.

Push notifications (`changes.watch`) only say «something changed»: the handler
checks the channel and its token and asks for a sync, coalesced (push.py): a burst of
notifications, the service's own uploads among them, makes one sync.  Channels expire
and are renewed by `renew_channels` before they do.
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Protocol

from sqlalchemy import BigInteger, Boolean, DateTime, String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.db import Base, utcnow
from service.google.http import execute as default_execute
from service.sources.base import RawWorkbook, SourceError
from service.sources.gsheets import GSheetReader, GSheetSource, WorkbookCache, drive_versions, parse_spreadsheet_id

CHANGE_FIELDS = ("nextPageToken,newStartPageToken,"
                 "changes(fileId,removed,file(id,version,modifiedTime,mimeType,lastModifyingUser(me),appProperties))")
OWN_PROPERTIES = ("moDocsKey", "moDocsCopy")          # what the Drive filer puts on what it files
SPREADSHEET = "application/vnd.google-apps.spreadsheet"


# ---------------------------------------------------------------- token stores

class TokenStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, token: str) -> None: ...


class MemoryTokenStore:
    def __init__(self, tokens: dict[str, str] | None = None):
        self._tokens = dict(tokens or {})
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._tokens.get(name)

    def set(self, name: str, token: str) -> None:
        with self._lock:
            self._tokens[name] = token


class ChangeToken(Base):
    __tablename__ = "google_change_tokens"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    token: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SqlTokenStore:
    """Page tokens in the service database (`service.db.make_engine`)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def get(self, name: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(ChangeToken, name)
            return row.token if row else None

    def set(self, name: str, token: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(ChangeToken, name)
            if row is None:
                s.add(ChangeToken(name=name, token=token))
            else:
                row.token, row.updated_at = token, utcnow()


# ---------------------------------------------------------------- the feed

@dataclass(frozen=True)
class FileChange:
    file_id: str
    version: str | None
    modified_time: str | None = None
    mime_type: str | None = None
    removed: bool = False


@dataclass
class Poll:
    changes: dict[str, FileChange]
    token: str                      # the token to save once the changes are handled
    requests: int = 0               # changes.list / getStartPageToken calls made
    first: bool = False             # no token was saved: nothing is known to have changed
    own: int = 0                    # the service's own changes, dropped


class ChangeFeed:
    """Drive `changes.list` from a saved page token.

    Without `drive_id` the feed is the service account's own: it includes
    spreadsheets shared with it from anyone's My Drive (which is where heads keep
    them).  With `drive_id` it lists one shared drive only."""

    def __init__(self, drive, store: TokenStore, *, name: str = "changes", drive_id: str | None = None,
                 execute: Callable[..., Any] | None = None, page_size: int = 1000):
        self.drive = drive
        self.store = store
        self.name = name
        self.drive_id = drive_id
        self.execute = execute or default_execute
        self.page_size = page_size

    def scope(self) -> dict[str, Any]:
        params: dict[str, Any] = {"supportsAllDrives": True}
        if self.drive_id:
            params["driveId"] = self.drive_id
        return params

    def start_token(self) -> str:
        got = self.execute(self.drive.changes().getStartPageToken(**self.scope()))
        return got["startPageToken"]

    def token(self) -> str:
        """The saved token, or a fresh one saved now (changes before it are not listed)."""
        token = self.store.get(self.name)
        if token is None:
            token = self.start_token()
            self.store.set(self.name, token)
        return token

    def poll(self) -> Poll:
        saved = self.store.get(self.name)
        if saved is None:
            return Poll({}, self.token(), requests=1, first=True)
        changes: dict[str, FileChange] = {}
        token: str | None = saved
        requests = own = 0
        while token:
            page = self.execute(self.drive.changes().list(
                pageToken=token, fields=CHANGE_FIELDS, pageSize=self.page_size, includeItemsFromAllDrives=True,
                includeRemoved=True, **self.scope()))
            requests += 1
            for item in page.get("changes") or []:
                if _own(item):
                    own += 1
                    continue
                change = _file_change(item)
                if change is None:
                    continue
                old = changes.get(change.file_id)
                if old is None or _version(change.version) >= _version(old.version) or change.removed:
                    changes[change.file_id] = change
            if page.get("newStartPageToken"):
                return Poll(changes, page["newStartPageToken"], requests, own=own)
            token = page.get("nextPageToken")
        return Poll(changes, saved, requests, own=own)   # pragma: no cover - Drive always ends with newStartPageToken

    def commit(self, poll: Poll) -> None:
        self.store.set(self.name, poll.token)


def _own(item: Mapping[str, Any]) -> bool:
    """A change the service made itself: a document or folder it filed."""
    f = item.get("file") or {}
    if (f.get("lastModifyingUser") or {}).get("me") is True:
        return True
    return any(k in (f.get("appProperties") or {}) for k in OWN_PROPERTIES)


def _file_change(item: Mapping[str, Any]) -> FileChange | None:
    file_id = item.get("fileId") or (item.get("file") or {}).get("id")
    if not file_id:
        return None                                     # a change of a shared drive itself
    f = item.get("file") or {}
    return FileChange(file_id=file_id, version=f.get("version"), modified_time=f.get("modifiedTime"),
                      mime_type=f.get("mimeType"), removed=bool(item.get("removed")))


def _version(v: str | None) -> int:
    try:
        return int(v) if v is not None else -1
    except ValueError:
        return -1


# ---------------------------------------------------------------- sync

@dataclass
class SyncResult:
    changed: dict[str, str | None] = field(default_factory=dict)     # id -> version read
    workbooks: dict[str, RawWorkbook] = field(default_factory=dict)
    errors: dict[str, SourceError] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)                   # unshared or deleted
    unchanged: int = 0
    feed_requests: int = 0
    own: int = 0                                                      # the service's own changes, ignored


class SheetSync:
    """Reads the watched spreadsheets that changed (see the module's docstring).

    A watched spreadsheet whose version nothing recorded (a new one) gets it from
    Drive `files.get` (`versions`) and is read once.  `known` remembers the version
    last read of each sheet and the reads that failed (to try again); with
    `SqlSheetVersions` it outlives the process."""

    def __init__(self, feed: ChangeFeed, reader: GSheetReader, cache: WorkbookCache, *,
                 versions: Callable[[str], str | None] | None = None, known: "SheetVersions | None" = None):
        self.feed = feed
        self.reader = reader
        self.cache = cache
        self.versions = versions or drive_versions(feed.drive, execute=feed.execute)
        self.known = known if known is not None else MemorySheetVersions()
        self._lock = threading.Lock()

    def sync(self, watched_ids: Iterable[str]) -> SyncResult:
        with self._lock:
            ids = list(dict.fromkeys(parse_spreadsheet_id(i) for i in watched_ids))
            poll = self.feed.poll()
            result = SyncResult(feed_requests=poll.requests, own=poll.own)
            recorded = self.known.load(ids)
            for sid in ids:
                change = poll.changes.get(sid)
                last = recorded.get(sid)                          # (version read, failed) or None
                known = self.cache.version(sid) or (last[0] if last and not last[1] else None)
                if change is not None and change.removed:
                    result.removed.add(sid)
                    continue
                if change is not None and change.version is not None:
                    version: str | None = change.version
                elif last is not None and last[1]:
                    version = last[0]                             # a read that failed: try it again
                elif known is not None:
                    result.unchanged += 1
                    continue
                else:
                    try:
                        version = self.versions(sid)
                    except Exception as exc:  # noqa: BLE001
                        err = self.reader.error(exc, sid)
                        if err is exc:
                            raise
                        result.errors[sid] = err
                        self.known.save(sid, None, failed=True)
                        continue
                if known is not None and version is not None and known == version:
                    result.unchanged += 1
                    if last is None or last[1]:
                        self.known.save(sid, version, failed=False)
                    continue
                try:
                    source = GSheetSource(sid, self.reader, cache=self.cache, version=version)
                    result.workbooks[sid] = source.read()
                    result.changed[sid] = version
                    self.known.save(sid, version, failed=False)
                except SourceError as err:
                    result.errors[sid] = err
                    self.known.save(sid, version, failed=True)
            self.feed.commit(poll)
            return result


def sync(watched_ids: Iterable[str], *, feed: ChangeFeed, reader: GSheetReader, cache: WorkbookCache,
         versions: Callable[[str], str | None] | None = None, known: SheetVersions | None = None) -> SyncResult:
    """One-off `SheetSync(feed, reader, cache).sync(watched_ids)` (failed reads are
    retried by later syncs when `known` outlives it)."""
    return SheetSync(feed, reader, cache, versions=versions, known=known).sync(watched_ids)


# ---------------------------------------------------------------- versions read, kept

class SheetVersions(Protocol):
    def load(self, ids: list[str]) -> dict[str, tuple[str | None, bool]]:
        """{id: (version last read, whether that read failed)} of the ids recorded."""
        ...

    def save(self, spreadsheet_id: str, version: str | None, *, failed: bool) -> None: ...


class MemorySheetVersions:
    def __init__(self):
        self._rows: dict[str, tuple[str | None, bool]] = {}
        self._lock = threading.Lock()

    def load(self, ids: list[str]) -> dict[str, tuple[str | None, bool]]:
        with self._lock:
            return {i: self._rows[i] for i in ids if i in self._rows}

    def save(self, spreadsheet_id: str, version: str | None, *, failed: bool) -> None:
        with self._lock:
            self._rows[spreadsheet_id] = (version, failed)


class SheetVersion(Base):
    __tablename__ = "google_sheet_versions"

    spreadsheet_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SqlSheetVersions:
    """Versions read, in the service database: one query per sync, one row per read."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def load(self, ids: list[str]) -> dict[str, tuple[str | None, bool]]:
        out: dict[str, tuple[str | None, bool]] = {}
        with Session(self.engine) as s:
            for chunk in range(0, len(ids), 500):
                rows = s.scalars(select(SheetVersion).where(SheetVersion.spreadsheet_id.in_(ids[chunk:chunk + 500])))
                out.update({r.spreadsheet_id: (r.version, bool(r.failed)) for r in rows})
        return out

    def save(self, spreadsheet_id: str, version: str | None, *, failed: bool) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(SheetVersion, spreadsheet_id)
            if row is None:
                s.add(SheetVersion(spreadsheet_id=spreadsheet_id, version=version, failed=failed))
            else:
                row.version, row.failed, row.updated_at = version, failed, utcnow()


# ---------------------------------------------------------------- push channels

@dataclass(frozen=True)
class ChannelRecord:
    id: str
    resource_id: str
    token: str
    expiration: int                 # ms since the epoch, as Drive gives it
    address: str = ""


class GoogleChannel(Base):
    __tablename__ = "google_channels"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(256))
    expiration: Mapped[int] = mapped_column(BigInteger)
    address: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChannelStore(Protocol):
    def get(self, channel_id: str) -> ChannelRecord | None: ...

    def add(self, channel: ChannelRecord) -> None: ...

    def remove(self, channel_id: str) -> None: ...

    def all(self) -> list[ChannelRecord]: ...


class MemoryChannelStore:
    def __init__(self):
        self._channels: dict[str, ChannelRecord] = {}

    def get(self, channel_id: str) -> ChannelRecord | None:
        return self._channels.get(channel_id)

    def add(self, channel: ChannelRecord) -> None:
        self._channels[channel.id] = channel

    def remove(self, channel_id: str) -> None:
        self._channels.pop(channel_id, None)

    def all(self) -> list[ChannelRecord]:
        return list(self._channels.values())


class SqlChannelStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @staticmethod
    def _record(row: GoogleChannel) -> ChannelRecord:
        return ChannelRecord(row.id, row.resource_id, row.token, int(row.expiration), row.address)

    def get(self, channel_id: str) -> ChannelRecord | None:
        with Session(self.engine) as s:
            row = s.get(GoogleChannel, channel_id)
            return self._record(row) if row else None

    def add(self, channel: ChannelRecord) -> None:
        with Session(self.engine) as s, s.begin():
            s.merge(GoogleChannel(id=channel.id, resource_id=channel.resource_id, token=channel.token,
                                  expiration=channel.expiration, address=channel.address))

    def remove(self, channel_id: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(GoogleChannel, channel_id)
            if row is not None:
                s.delete(row)

    def all(self) -> list[ChannelRecord]:
        with Session(self.engine) as s:
            return [self._record(r) for r in s.scalars(select(GoogleChannel).order_by(GoogleChannel.expiration))]


@dataclass(frozen=True)
class WebhookOutcome:
    action: str                      # changed | sync | ignored | unknown | expired | forbidden | malformed
    status: int                      # the HTTP status to answer Google with
    channel_id: str | None = None
    message_number: int | None = None


_DUMMY_TOKEN = secrets.token_urlsafe(32)


def handle_notification(headers: Mapping[str, str], store: ChannelStore, *,
                        on_change: Callable[[ChannelRecord], None] | None = None,
                        now: dt.datetime | None = None) -> WebhookOutcome:
    """Judge one `changes.watch` notification from its headers (framework-free).

    `sync` (the first message of every channel) and unknown or expired channels are
    acknowledged and ignored; a wrong X-Goog-Channel-Token (compared in constant
    time) is refused with 403; a `change` calls `on_change(channel)` — which should
    only enqueue a sync: Google wants an answer within seconds."""
    h = {str(k).lower(): str(v) for k, v in headers.items()}
    channel_id = h.get("x-goog-channel-id", "").strip()
    state = h.get("x-goog-resource-state", "").strip().lower()
    token = h.get("x-goog-channel-token", "")
    try:
        number = int(h["x-goog-message-number"]) if h.get("x-goog-message-number") else None
    except ValueError:
        number = None
    if not channel_id or not state:
        return WebhookOutcome("malformed", 400, channel_id or None, number)
    channel = store.get(channel_id)
    expected = channel.token if channel is not None else _DUMMY_TOKEN
    token_ok = hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))
    if channel is None:
        return WebhookOutcome("unknown", 200, channel_id, number)
    if not token_ok:
        return WebhookOutcome("forbidden", 403, channel_id, number)
    resource_id = h.get("x-goog-resource-id")
    if resource_id is not None and channel.resource_id and not hmac.compare_digest(
            resource_id.encode("utf-8"), channel.resource_id.encode("utf-8")):
        return WebhookOutcome("forbidden", 403, channel_id, number)
    now = now or dt.datetime.now(dt.timezone.utc)
    if channel.expiration and channel.expiration < now.timestamp() * 1000:
        return WebhookOutcome("expired", 200, channel_id, number)
    if state == "sync":
        return WebhookOutcome("sync", 200, channel_id, number)
    if state != "change":
        return WebhookOutcome("ignored", 200, channel_id, number)
    if on_change is not None:
        on_change(channel)
    return WebhookOutcome("changed", 200, channel_id, number)


def open_channel(feed: ChangeFeed, store: ChannelStore, address: str, *, ttl: dt.timedelta = dt.timedelta(days=7),
                 now: dt.datetime | None = None, make_id: Callable[[], str] = lambda: str(uuid.uuid4()),
                 make_token: Callable[[], str] = lambda: secrets.token_urlsafe(32)) -> ChannelRecord:
    """Start a `changes.watch` channel at the feed's token and remember it."""
    now = now or dt.datetime.now(dt.timezone.utc)
    body = {"id": make_id(), "type": "web_hook", "address": address, "token": make_token(),
            "expiration": str(int((now + ttl).timestamp() * 1000))}
    got = feed.execute(feed.drive.changes().watch(
        pageToken=feed.token(), body=body, includeItemsFromAllDrives=True, **feed.scope()))
    record = ChannelRecord(id=got.get("id", body["id"]), resource_id=got.get("resourceId", ""), token=body["token"],
                           expiration=int(got.get("expiration") or body["expiration"]), address=address)
    store.add(record)
    return record


def renew_channels(feed: ChangeFeed, store: ChannelStore, *, address: str | None = None,
                   margin: dt.timedelta = dt.timedelta(hours=12),
                   ttl: dt.timedelta = dt.timedelta(days=7), now: dt.datetime | None = None,
                   make_id: Callable[[], str] = lambda: str(uuid.uuid4()),
                   make_token: Callable[[], str] = lambda: secrets.token_urlsafe(32)) -> list[ChannelRecord]:
    """Replace every channel that expires within `margin` by a new one (opened
    first, so no notification is missed), then stop and forget the old one.
    `address` replaces the recorded one (the service moved).  Returns the new channels."""
    now = now or dt.datetime.now(dt.timezone.utc)
    limit = (now + margin).timestamp() * 1000
    renewed = []
    for old in store.all():
        if old.expiration > limit:
            continue
        new = open_channel(feed, store, address or old.address, ttl=ttl, now=now, make_id=make_id, make_token=make_token)
        renewed.append(new)
        try:
            feed.execute(feed.drive.channels().stop(body={"id": old.id, "resourceId": old.resource_id}))
        except Exception:  # noqa: BLE001 - an expired channel cannot be stopped; it stops itself
            pass
        store.remove(old.id)
    return renewed
