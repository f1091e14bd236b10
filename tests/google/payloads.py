"""Payloads shaped as Google returns them, checked against the discovery documents
shipped with google-api-python-client, and the offline transports that serve them.

* Sheets (gspread → requests): `responses`; `sheets_meta()` / `batch_get()` build the
  Spreadsheet and BatchGetValuesResponse bodies for a workbook given as tables.
* Drive (googleapiclient → httplib2): `DriveHttp`, an HttpMockSequence that can also
  raise (a lost answer) and whose recorded requests `calls()` parses.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import googleapiclient
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence
from openpyxl.utils import get_column_letter

DATA = Path(__file__).parent / "data"
DISCOVERY = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
EPOCH = dt.date(1899, 12, 30)


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def raw(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------- schema check

_DOCS: dict[str, dict] = {}


def discovery(api: str) -> dict:
    if api not in _DOCS:
        _DOCS[api] = json.loads((DISCOVERY / f"{api}.json").read_text(encoding="utf-8"))
    return _DOCS[api]


def conforms(payload: Any, api: str, schema: str) -> list[str]:
    """Problems of `payload` against schema `schema` of `api` ("drive.v3", "sheets.v4"):
    unknown properties, wrong JSON types, int64 not given as a string.  [] = conforms."""
    doc = discovery(api)
    problems: list[str] = []

    def check(value: Any, spec: dict, path: str) -> None:
        if "$ref" in spec:
            spec = doc["schemas"][spec["$ref"]]
        kind = spec.get("type")
        if kind == "object" or "properties" in spec:
            if not isinstance(value, dict):
                problems.append(f"{path}: expected an object, got {type(value).__name__}")
                return
            props = spec.get("properties", {})
            extra = spec.get("additionalProperties")
            for k, v in value.items():
                if k in props:
                    check(v, props[k], f"{path}.{k}")
                elif extra is not None:
                    check(v, extra, f"{path}.{k}")
                else:
                    problems.append(f"{path}.{k}: not a property of the schema")
        elif kind == "array":
            if not isinstance(value, list):
                problems.append(f"{path}: expected an array")
                return
            for i, item in enumerate(value):
                check(item, spec.get("items", {}), f"{path}[{i}]")
        elif kind == "string":
            if not isinstance(value, str):
                problems.append(f"{path}: expected a string ({spec.get('format', '')}), got {value!r}")
        elif kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"{path}: expected an integer")
        elif kind == "number":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                problems.append(f"{path}: expected a number")
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append(f"{path}: expected a boolean")
        # "any": anything goes

    check(payload, {"$ref": schema}, schema)
    return problems


def google_error(status: int, message: str, reason: str | None = None, domain: str = "global") -> dict:
    """An error body as Google's JSON APIs send it (Drive style when `reason` is given)."""
    error: dict[str, Any] = {"code": status, "message": message}
    if reason:
        error["errors"] = [{"domain": domain, "reason": reason, "message": message}]
    return {"error": error}


# ---------------------------------------------------------------- Sheets

def serial(value: Any) -> Any:
    """A cell value as UNFORMATTED_VALUE + SERIAL_NUMBER returns it."""
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return (value - EPOCH).days
    return value


def sheets_meta(spreadsheet_id: str, title: str, tables: dict[str, list[list[Any]]],
                rows: int = 1000, columns: int = 26) -> dict:
    sheets = []
    for index, (tab, values) in enumerate(tables.items()):
        width = max([columns] + [len(r) for r in values])
        sheets.append({"properties": {"sheetId": index * 1000 + 7, "title": tab, "index": index, "sheetType": "GRID",
                                      "gridProperties": {"rowCount": max(rows, len(values)), "columnCount": width}}})
    return {"spreadsheetId": spreadsheet_id, "properties": {"title": title}, "sheets": sheets}


def value_range(tab: str, values: list[list[Any]], rows: int, columns: int) -> dict:
    """What values:batchGet returns for `'tab'!A1:<col><rows>`: the requested range
    echoed, trailing empty cells and rows trimmed, empty cells inside a row as ""."""
    out = []
    for row in values[:rows]:
        cells = [serial(v) if v is not None else "" for v in row[:columns]]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    quoted = "'" + tab.replace("'", "''") + "'"
    vr: dict[str, Any] = {"range": f"{quoted}!A1:{get_column_letter(columns)}{rows}", "majorDimension": "ROWS"}
    if out:
        vr["values"] = out
    return vr


def batch_get(spreadsheet_id: str, tables: dict[str, list[list[Any]]], meta: dict, max_rows: int = 5000,
              max_columns: int = 200) -> dict:
    ranges = []
    for sheet in meta["sheets"]:
        p = sheet["properties"]
        grid = p["gridProperties"]
        ranges.append(value_range(p["title"], tables[p["title"]], min(grid["rowCount"], max_rows + 1),
                                  min(grid["columnCount"], max_columns)))
    return {"spreadsheetId": spreadsheet_id, "valueRanges": ranges}


def add_sheet(rsps, spreadsheet_id: str, meta: dict, values: dict) -> None:
    """Serve one spreadsheet through `responses` (spreadsheets.get + values:batchGet)."""
    import responses

    rsps.add(responses.GET, f"{SHEETS}/{spreadsheet_id}", json=meta)
    rsps.add(responses.GET, f"{SHEETS}/{spreadsheet_id}/values:batchGet", json=values)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def gspread_client(**options):
    """A gspread Client with RetryingHTTPClient and a token that never refreshes."""
    import gspread
    from google.oauth2.credentials import Credentials

    from service.google.http import RetryingHTTPClient

    return gspread.Client(auth=Credentials(token="x"), http_client=RetryingHTTPClient.configured(**options))


# ---------------------------------------------------------------- Drive

class Lost(Exception):
    """Put in a DriveHttp script to make the transport raise instead of answering."""


class DriveHttp(HttpMockSequence):
    """HttpMockSequence that raises an exception entry (e.g. TimeoutError: the request
    went out, the answer was lost) and fails clearly when the script runs out."""

    def request(self, uri, method="GET", body=None, headers=None, redirections=1, connection_type=None):
        if not self._iterable:
            raise AssertionError(f"unexpected request {method} {uri}")
        head = self._iterable[0]
        if isinstance(head, BaseException):
            self.request_sequence.append((uri, method, body, headers))
            self._iterable.pop(0)
            raise head
        return super().request(uri, method, body, headers, redirections, connection_type)

    def then(self, *script) -> "DriveHttp":
        """Queue more answers (a later phase of a test)."""
        self._iterable.extend(script)
        return self

    @property
    def left(self) -> int:
        return len(self._iterable)


def ok(payload: Any, status: int = 200, **headers) -> tuple[dict, str]:
    return ({"status": str(status), "content-type": "application/json; charset=UTF-8", **headers},
            json.dumps(payload, ensure_ascii=False))


def fail(status: int, body: Any, **headers) -> tuple[dict, str]:
    return ({"status": str(status), "content-type": "application/json; charset=UTF-8", **headers},
            json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body)


def drive(script: list) -> tuple[Any, DriveHttp]:
    http = DriveHttp(list(script))
    return build("drive", "v3", http=http, static_discovery=True, cache_discovery=False), http


def calls(http: DriveHttp) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(method, path, query) of every request the mock served."""
    out = []
    for uri, method, _body, _headers in http.request_sequence:
        parts = urlsplit(uri)
        out.append((method, parts.path, parse_qs(parts.query, keep_blank_values=True)))
    return out


def metadata(http: DriveHttp, index: int) -> dict:
    """The JSON metadata part of a multipart upload (or a JSON body) of request `index`."""
    body = http.request_sequence[index][2]
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body.lstrip().startswith("{"):
        return json.loads(body)
    for part in body.split("\n\n")[1:]:
        text = part.split("\n--", 1)[0].strip()
        if text.startswith("{"):
            return json.loads(text)
    raise AssertionError("no JSON part")


def media(http: DriveHttp, index: int) -> bytes:
    body = http.request_sequence[index][2]
    if isinstance(body, str):
        body = body.encode("utf-8")
    marker = b"Content-Transfer-Encoding: binary\n\n"
    start = body.index(marker) + len(marker)
    return body[start:body.rindex(b"\n--")]


def file_payload(file_id: str, name: str, *, parent: str, key_hash: str = "", md5: str = "", version: str = "1",
                 revision: str = "rev1", mime: str = "application/vnd.openxmlformats-officedocument."
                                                     "wordprocessingml.document") -> dict:
    base = copy.deepcopy(load("drive/file.json"))
    base.update({"id": file_id, "name": name, "parents": [parent], "version": version, "headRevisionId": revision,
                 "mimeType": mime, "webViewLink": f"https://drive.google.com/file/d/{file_id}/view?usp=drivesdk"})
    if md5:
        base["md5Checksum"] = md5
    if key_hash:
        base["appProperties"]["moDocsKey"] = key_hash
    return base

