"""The name an uploaded workbook is downloaded under (service/workspace/upload_names.py)."""
from __future__ import annotations

import pytest

from service.workspace.upload_names import upload_name


@pytest.mark.parametrize("sent, suffix, served", [
    ("Книга МО.xlsx", ".xlsx", "Книга МО.xlsx"),
    ("Книга МО.xlsm", ".xlsm", "Книга МО.xlsm"),
    ("книга.ods", ".xlsx", "книга.xlsx"),                   # what it is, not what it was called
    ("книга.XLS", ".XLS", "книга.xls"),
    ("C:\\Users\\МО\\Книга МО.ods", ".ods", "Книга МО.ods"),   # old browsers send the whole path
    ("../../../etc/passwd.xlsx", ".xlsx", "passwd.xlsx"),
    ("x\r\nSet-Cookie: a=b.xlsx", ".xlsx", "x Set-Cookie a=b.xlsx"),
    ("книга\x00.xlsx", ".xlsx", "книга.xlsx"),
    ("\u202eslx.exe.xlsx", ".xlsx", "slx.exe.xlsx"),
    ("\u200bкнига\u2066.xlsx", ".xlsx", "книга.xlsx"),
    ("con.xlsx", ".xlsx", "_con.xlsx"),
    (".xlsx", ".xlsx", "книга.xlsx"),
    ("...", ".ods", "книга.ods"),
    ("", ".xlsx", "книга.xlsx"),
    (None, ".xlsx", "книга.xlsx"),
    ("книга", ".xlsx", "книга.xlsx"),
    ("а" * 5000 + ".xlsx", ".xlsx", "а" * 120 + ".xlsx"),
])
def test_a_name_comes_back_safe_with_the_suffix_of_what_the_file_is(sent, suffix, served):
    assert upload_name(sent, suffix) == served
    assert upload_name(served, suffix) == served                  # made safe once is safe
