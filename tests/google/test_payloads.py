"""The sample payloads are shaped as the APIs return them: every property and type
checked against the discovery documents shipped with google-api-python-client."""
import pytest

from tests.factories import association
from tests.google.payloads import DATA, batch_get, conforms, load, sheets_meta

SCHEMAS = {
    "sheets/spreadsheet.json": ("sheets.v4", "Spreadsheet"),
    "sheets/batch_get.json": ("sheets.v4", "BatchGetValuesResponse"),
    "drive/generate_ids.json": ("drive.v3", "GeneratedIds"),
    "drive/file_list_empty.json": ("drive.v3", "FileList"),
    "drive/folder_list.json": ("drive.v3", "FileList"),
    "drive/file.json": ("drive.v3", "File"),
    "drive/start_page_token.json": ("drive.v3", "StartPageToken"),
    "drive/changes_page1.json": ("drive.v3", "ChangeList"),
    "drive/changes_page2.json": ("drive.v3", "ChangeList"),
    "drive/channel.json": ("drive.v3", "Channel"),
    "drive/permission.json": ("drive.v3", "Permission"),
}


def test_every_data_file_is_listed():
    names = {str(p.relative_to(DATA)) for p in DATA.rglob("*.json")}
    errors = {n for n in names if "/error_" in f"/{n.split('/')[-1]}"}
    assert names - errors == set(SCHEMAS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_sample_payload_conforms_to_the_discovery_schema(name):
    api, schema = SCHEMAS[name]
    assert conforms(load(name), api, schema) == []


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.rglob("error_*.json")))
def test_error_bodies_have_googles_error_shape(name):
    path = next(DATA.rglob(name))
    import json

    body = json.loads(path.read_text(encoding="utf-8"))
    assert set(body) == {"error"} and isinstance(body["error"]["code"], int) and body["error"]["message"]
    for item in body["error"].get("errors", []):
        assert {"domain", "reason", "message"} <= set(item)


def test_the_checker_catches_a_wrong_shape():
    assert conforms({"ids": "x"}, "drive.v3", "GeneratedIds")
    assert conforms({"version": 5}, "drive.v3", "File")                  # int64 travels as a string
    assert conforms({"valueRanges": [{"rows": []}]}, "sheets.v4", "BatchGetValuesResponse")


def test_generated_sheets_payloads_conform():
    tables = association().tables()
    meta = sheets_meta("sid", "ММО", tables)
    assert conforms(meta, "sheets.v4", "Spreadsheet") == []
    assert conforms(batch_get("sid", tables, meta), "sheets.v4", "BatchGetValuesResponse") == []
