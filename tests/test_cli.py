"""The command line as a head or a script uses it: exit codes, JSON, Russian text."""
import json
import subprocess
import sys

import pytest

from service.cli import main
from tests.factories import association


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:         # argparse stops on malformed arguments
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_workbook_exits_0_and_says_so(tmp_path, capsys):
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "validate", str(path), "--as-of", "2025-09-01")
    assert code == 0, out
    assert "Замечаний нет." in out
    assert "Учебный год: 2024/2025; дата проверки: 01.09.2025" in out      # as people write it
    assert "Итого: 0 ошибок, 0 предупреждений, 0 справок." in out
    assert err == ""


def test_errors_exit_1_and_are_grouped_by_sheet_with_cells(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    book.members[4]["Квалификационная категория"] = "главная"
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, _ = run(capsys, "validate", str(path), "--as-of", "2025-09-01")
    assert code == 1
    section = out.split("== Состав ==")[1]
    assert "G6" in section and "«главная» — недопустимое значение" in section and "[cell.bad_choice]" in section
    assert "Итого: 1 ошибка" in out


def test_json_shape_for_programs(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    book.mark(3, present=6)
    for item in book.agenda:
        if item["№ заседания"] == 3:
            item["За"] = 6
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, _ = run(capsys, "validate", str(path), "--as-of", "2025-09-01", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert set(data) >= {"workbook", "regulation", "as_of", "findings", "counts"}
    assert data["regulation"] == "zdvinsky-mmo" and data["as_of"] == "2025-09-01"
    assert data["counts"] == {"error": 1, "warning": 0, "info": 0}
    (f,) = data["findings"]
    assert f["code"] == "meeting.no_quorum" and f["meeting"] == 3 and f["clause"] == "п. 5.1(5)"
    assert set(f) == {"code", "severity", "sheet", "cell", "clause", "message", "meeting", "member", "period"}


def test_regulation_argument_overrides_the_workbook(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, _ = run(capsys, "validate", str(path), "--as-of", "2025-09-01", "--regulation",
                       "biysk-social-pedagogues", "--format", "json")
    data = json.loads(out)
    assert data["regulation"] == "biysk-social-pedagogues"
    assert "head.position" in {f["code"] for f in data["findings"]}


@pytest.mark.parametrize("argv, fragment", [
    (["validate", "{path}", "--regulation", "moscow"], "Положение «moscow» неизвестно"),
    (["validate", "{path}", "--as-of", "22.11.2026"], "ГГГГ-ММ-ДД"),
    (["validate", "{missing}"], "Файл книги не найден: nope.xlsx"),
    (["validate", "{path}", "--format", "xml"], "ошибка в аргументах"),
])
def test_wrong_arguments_exit_2_with_one_clear_line(tmp_path, capsys, argv, fragment):
    path = association().save(tmp_path / "mmo.xlsx")
    argv = [a.format(path=path, missing=tmp_path / "nope.xlsx") for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err
    assert out == ""


def test_unknown_regulation_in_the_workbook_is_a_finding_not_a_crash(tmp_path, capsys):
    book = association()
    book.info["Положение"] = "moscow-2030"
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, _ = run(capsys, "validate", str(path), "--as-of", "2025-09-01")
    assert code == 1
    assert "[regulation.unknown]" in out and "zdvinsky-mmo" in out


@pytest.mark.parametrize("typed", ["z" * 300, "я" * 200, "../../etc/passwd", "zdvinsky-mmo/../zalesovo-mmo"])
def test_a_regulation_id_that_is_no_file_name_is_a_finding_not_a_traceback(tmp_path, capsys, typed):
    """300 characters were ENAMETOOLONG from the file system: a traceback and exit 1."""
    book = association()
    book.info["Положение"] = typed
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "validate", str(path), "--as-of", "2025-09-01")
    assert code == 1 and "Traceback" not in err
    line = next(x for x in out.splitlines() if "[regulation.unknown]" in x)
    assert "zdvinsky-mmo" in line and len(line) < 400
    code, out, err = run(capsys, "validate", str(path), "--regulation", typed)
    assert code == 2 and "[regulation.unknown]" in err and "Traceback" not in err


def test_installed_console_script_runs_without_traceback(tmp_path):
    path = tmp_path / "not-a-workbook.xlsx"
    path.write_text("ФИО;ОО\nИванова;СОШ 1\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "service.cli", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Это не книга электронной таблицы" in proc.stderr
    assert "[workbook.unreadable]" in proc.stderr


def test_init_workbook_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "new.xlsx"
    assert run(capsys, "init-workbook", str(path))[0] == 0
    code, _, err = run(capsys, "init-workbook", str(path))
    assert code == 2 and "уже существует" in err
    assert run(capsys, "init-workbook", str(path), "--force")[0] == 0


@pytest.mark.parametrize("argv, suffix", [(["--format", "ods"], ".ods"), ([], ".ods"), (["--format", "xlsx"], ".xlsx")])
def test_init_workbook_writes_an_ods_for_libreoffice_users(tmp_path, capsys, argv, suffix):
    from service.pipeline import check
    from service.sources.workbook_file import WorkbookFileSource

    path = tmp_path / f"книга{suffix}"
    code, out, _ = run(capsys, "init-workbook", str(path), "--regulation", "zdvinsky-mmo", *argv)
    assert code == 0 and out.strip() == str(path)
    source = WorkbookFileSource(path)
    report = check(source)
    assert source.format == suffix[1:]
    assert not any(f.code.startswith(("sheet.", "column.", "ref.", "workbook.")) for f in report.findings)
    assert report.regulation.id == "zdvinsky-mmo"


def test_init_workbook_refuses_a_format_that_contradicts_the_name(tmp_path, capsys):
    code, _, err = run(capsys, "init-workbook", str(tmp_path / "книга.xlsx"), "--format", "ods")
    assert code == 2 and "не совпадает" in err
    assert list(tmp_path.iterdir()) == []


def test_a_local_validate_loads_no_google_library_and_no_database_layer(tmp_path):
    """Reading a local file never imports gspread or the Google API client (they cost
    about half a second per run), nor SQLAlchemy (0.2 s: a check needs no database) nor babel
    (its locale data, 20 ms: a check writes no document)."""
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    script = ("import sys\nfrom service.cli import main\ncode = main(['validate', sys.argv[1]])\n"
              "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('googleapiclient', 'gspread', 'google', "
              "'httplib2', 'openpyxl', 'sqlalchemy', 'babel', 'service.filing'))\nprint('LOADED', loaded)\nsys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout, proc.stdout.splitlines()[-1]


# ---------------------------------------------------------------- generate

def test_generate_prints_the_written_path_last(tmp_path, capsys):
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    out_dir = tmp_path / "docs"
    code, out, err = run(capsys, "generate", "protocol", str(path), "--meeting", "2", "--out", str(out_dir),
                         "--as-of", "2025-09-01")
    assert code == 0, err
    written = out.strip().splitlines()[-1]
    assert written == str(out_dir / "ММО математиков" / "2024-2025" / "Протоколы" / "Протокол №2 от 10.12.2024.docx")
    code, out, err = run(capsys, "generate", "protocol", str(path), "--meeting", "2", "--out", str(out_dir),
                         "--as-of", "2025-09-01")
    assert code == 0 and "не изменился" in err and out.strip().splitlines()[-1] == written


def test_generate_refuses_with_errors_and_force_overrides(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    book.meeting(1)["Секретарь"] = None
    path = book.save(tmp_path / "mmo.xlsx")
    argv = ["generate", "protocol", str(path), "--meeting", "1", "--out", str(tmp_path / "o"), "--as-of", "2025-09-01"]
    code, out, _ = run(capsys, *argv)
    assert code == 1 and "[meeting.no_signers]" in out and "--force" in out
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").rglob("*.docx"))
    code, out, err = run(capsys, *argv, "--force")
    assert code == 0 and "с нарушениями" in err and out.strip().endswith(".docx")


def test_generate_a_cancelled_meeting_is_refused_without_offering_force(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    book.meeting(2)["Статус"] = "отменено"
    path = book.save(tmp_path / "mmo.xlsx")
    argv = ["generate", "protocol", str(path), "--meeting", "2", "--out", str(tmp_path / "o"), "--as-of", "2025-09-01"]
    for extra in ([], ["--force"]):
        code, out, _ = run(capsys, *argv, *extra)
        assert code == 1 and "[document.cancelled]" in out and "--force" not in out
    assert not list(tmp_path.rglob("*.docx"))


def test_generate_an_order_says_what_else_to_fix_without_refusing(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    book.members[6]["Квалификационная категория"] = "главная"
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "generate", "order", str(path), "--out", str(tmp_path / "o"), "--as-of", "2025-09-01",
                         "--date", "2024-09-02", "--number", "45-ОД")
    assert code == 0 and out.strip().endswith(".docx")
    assert "замечания, которые не попали в документ" in err and "G8" in err and "[cell.bad_choice]" in err
    assert "с нарушениями" not in err


@pytest.mark.parametrize("extra, fragment", [
    (["--meeting", "9"], "заседания №9 нет"),
    (["--year", "2023-2024", "--meeting", "1"], "в книге 2024/2025 учебный год"),
    (["--year", "2024", "--meeting", "1"], "не учебный год"),
    ([], "--meeting N"),
])
def test_generate_wrong_requests_exit_2(tmp_path, capsys, extra, fragment):
    path = association().save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "generate", "protocol", str(path), "--out", str(tmp_path / "o"), *extra)
    assert code == 2 and fragment in err and "Traceback" not in err


def test_generate_pdf_without_libreoffice_says_so_and_keeps_the_docx(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("service.pdf.soffice", lambda: None)
    path = association().save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "generate", "work-plan", str(path), "--out", str(tmp_path / "o"), "--pdf")
    assert code == 0 and "LibreOffice не установлен" in err and out.strip().endswith(".docx")


# ---------------------------------------------------------------- generate into the configured storage

@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("MO_DOCS_INSTANCE", str(folder))
    return folder


def added(instance, path, book=None):
    """Add the workbook at `path` to the instance's service, as an upload would."""
    from service.settings import load_settings
    from service.workspace.service import Workspace

    ws = Workspace(load_settings(instance, {"TESTING": True}))
    try:
        return ws, ws.add_association(str(path), "тест")
    finally:
        ws.engine.dispose()


def test_generate_without_out_files_into_the_instances_documents_and_its_registry(tmp_path, capsys, instance):
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    ws, a = added(instance, path)
    code, out, err = run(capsys, "generate", "protocol", str(path), "--meeting", "2", "--as-of", "2025-09-01")
    assert code == 0, err
    written = instance / "documents" / a.slug / "2024-2025" / "Протоколы" / "Протокол №2 от 10.12.2024.docx"
    assert out.strip().splitlines()[-1] == str(written) and written.is_file()
    assert [(d.kind, d.number, d.file_name) for d in ws.documents(a)] == [
        ("protocol", "2", "Протокол №2 от 10.12.2024.docx")]
    assert "document.generate" in [e.action for e in ws.audit(a.id, 10)]


def test_generate_without_out_files_each_association_in_its_own_folder_or_refuses(tmp_path, capsys, instance):
    """Two associations with one short name: each document goes to its own association
    (found by the workbook's location or its register), listed on its page; a workbook
    the service does not know is refused without --out."""
    first = association("zdvinsky-mmo")
    second = association("zdvinsky-mmo")
    second.info["Территория"] = "Чулымский район"
    second.info["Наименование МО"] = "ММО учителей математики Чулымского района"
    ws, a = added(instance, first.save(tmp_path / "a.xlsx"))
    _, b = added(instance, second.save(tmp_path / "b.xlsx"))
    copy = second.save(tmp_path / "copy-of-b.xlsx")                     # the same register elsewhere
    for path in (tmp_path / "a.xlsx", copy):
        code, out, err = run(capsys, "generate", "protocol", str(path), "--meeting", "2", "--as-of", "2025-09-01")
        assert code == 0, err
    assert [d.version for d in ws.documents(a)] == [1] and [d.version for d in ws.documents(b)] == [1]
    stranger = association("zdvinsky-mmo")
    stranger.info["Территория"] = "Купинский район"
    code, out, err = run(capsys, "generate", "protocol", str(stranger.save(tmp_path / "s.xlsx")), "--meeting", "2",
                         "--as-of", "2025-09-01")
    assert code == 2 and "не добавлена в службу" in err and "--out" in err and "Traceback" not in err


def test_generate_without_out_files_to_the_webdav_server_of_the_settings(tmp_path, capsys, instance, monkeypatch,
                                                                         webdav):
    from tests.support.webdav_server import PASSWORD, USER

    for name, value in {"FILING_URL": webdav.filing_url, "WEBDAV_USERNAME": USER, "WEBDAV_PASSWORD": PASSWORD}.items():
        monkeypatch.setenv(f"MO_DOCS_{name}", value)
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    _, a = added(instance, path)
    code, out, err = run(capsys, "generate", "order", str(path), "--as-of", "2025-09-01")
    assert code == 0, err
    stored = webdav.root / a.slug / "2024-2025" / "Приказы" / "Приказ о составе на 2024-2025 учебный год.docx"
    assert stored.is_file()
    last = out.strip().splitlines()[-1]
    assert last.startswith(webdav.url) and PASSWORD not in out + err


def test_a_storage_failure_exits_3_with_its_code(tmp_path, capsys, instance, monkeypatch, webdav):
    from tests.support.webdav_server import USER

    monkeypatch.setenv("MO_DOCS_FILING_URL", webdav.filing_url)
    monkeypatch.setenv("MO_DOCS_WEBDAV_USERNAME", USER)
    monkeypatch.setenv("MO_DOCS_WEBDAV_PASSWORD", "wrong")
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    added(instance, path)
    code, out, err = run(capsys, "generate", "order", str(path), "--as-of", "2025-09-01")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and err.strip().endswith("[filing.auth]") and "Traceback" not in err


def test_a_wrong_filing_url_exits_2_with_its_code(tmp_path, capsys, instance, monkeypatch):
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    added(instance, path)
    monkeypatch.setenv("MO_DOCS_FILING_URL", "ftp://files.school.ru/")
    code, out, err = run(capsys, "generate", "order", str(path))
    assert code == 2 and "неизвестный вид адреса" in err and err.strip().endswith("[filing.config]")


@pytest.mark.system("soffice")
def test_generate_pdf_files_a_pdfa_copy_beside_the_document_in_the_storage(tmp_path, capsys, instance, monkeypatch,
                                                                           webdav):
    from service.pdf import pdfa_identification, soffice
    from tests.support.webdav_server import PASSWORD, USER

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer-nogui")
    for name, value in {"FILING_URL": webdav.filing_url, "WEBDAV_USERNAME": USER, "WEBDAV_PASSWORD": PASSWORD}.items():
        monkeypatch.setenv(f"MO_DOCS_{name}", value)
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    _, a = added(instance, path)
    code, out, err = run(capsys, "generate", "work-plan", str(path), "--pdf", "--as-of", "2025-09-01")
    assert code == 0, err
    folder = webdav.root / a.slug / "2024-2025" / "Планы"
    pdf = (folder / "План работы на 2024-2025 учебный год.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdfa_identification(pdf) == (2, "B")
    assert out.strip().splitlines()[-2].endswith(".pdf")


# ---------------------------------------------------------------- the documents each regulation requires

def test_generate_lists_every_kind_in_its_help(capsys):
    code, out, _ = run(capsys, "generate", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "data-bank — Банк данных педагогов" in flat and "practices — Банк эффективных практик" in flat
    assert "--personal" in out and "--format {xlsx,docx}" in out


def test_data_bank_in_both_formats_personal_only_when_asked(tmp_path, capsys):
    import openpyxl

    path = association("kamensk-uralsky-cpmss").save(tmp_path / "mo.xlsx")
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "generate", "data-bank", str(path), "--out", str(out_dir), "--as-of", "2025-09-01")
    assert code == 0, err
    written = out.strip().splitlines()[-1]
    assert written.endswith("Банк данных/Банк данных педагогов на 2024-2025 учебный год.xlsx")
    header = [c.value for c in openpyxl.load_workbook(written).worksheets[0][5]]
    assert "E-mail" not in header and "личными" not in err
    code, out, err = run(capsys, "generate", "data-bank", str(path), "--out", str(out_dir), "--as-of", "2025-09-01",
                         "--format", "docx", "--personal")
    assert code == 0 and out.strip().endswith("Банк данных педагогов на 2024-2025 учебный год (с личными данными).docx")
    assert "содержит персональные данные" in err


@pytest.mark.parametrize("argv, message", [
    (["needs", "--format", "xlsx"], "формируется только в формате .docx, не .xlsx"),
    (["cyclogram", "--personal"], "бывают только в банке данных"),
])
def test_a_format_or_personal_data_the_kind_does_not_have_is_exit_2(tmp_path, capsys, argv, message):
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "generate", argv[0], str(path), "--out", str(tmp_path / "out"), *argv[1:])
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.docx"))


def test_missing_data_of_a_required_document_is_exit_1_and_named(tmp_path, capsys):
    book = association("zdvinsky-mmo")
    book.omit.add("needs")
    path = book.save(tmp_path / "mmo.xlsx")
    code, out, err = run(capsys, "generate", "needs", str(path), "--out", str(tmp_path / "out"))
    assert code == 1 and "нет листа «Потребности»" in out and "[document.missing_data]" in out
    code, out, _ = run(capsys, "validate", str(path), "--as-of", "2025-09-01")
    assert code == 0 and "[documentation.no_data]" in out and "(разд. 6 Положения)" in out


def test_a_google_sheet_without_credentials_is_one_line_for_the_administrator(capsys, monkeypatch):
    monkeypatch.setenv("MO_DOCS_GOOGLE_ENABLED", "true")
    for name in ("MO_DOCS_GOOGLE_KEY_FILE", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    from google.auth.exceptions import DefaultCredentialsError

    def no_default_credentials(*args, **kwargs):           # whatever the machine running the tests has
        raise DefaultCredentialsError("none")

    monkeypatch.setattr("google.auth.default", no_default_credentials)
    code, out, err = run(capsys, "validate", "gsheet:1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEf")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.strip().endswith("[google.config]") and "GOOGLE_KEY_FILE" in err
