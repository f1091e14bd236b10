"""mo-docs: the command line, a thin shell over `service.pipeline`.

Exit codes: 0 no errors, 1 errors found (or refused to write), 2 the file or the
arguments are wrong, 3 the storage of documents failed (full, locked, unreachable,
wrong password) — one line on stderr with a stable code, never a traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from service.kinds import CATALOGUE, KINDS
from service.render.errors import RenderError
from service.schema.regulations import UnknownRegulation, available
from service.sources.base import SourceError, open_source
from service.sources.limits import Limits
from service.operators import OperatorError, add_account_commands

WORKBOOK_HELP = "файл книги: .xlsx, .xlsm, .ods или .xls"

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_STORAGE = 0, 1, 2, 3


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):           # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        print(f"mo-docs: ошибка в аргументах: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"дата должна быть в виде ГГГГ-ММ-ДД: {text!r}")


def build_parser() -> argparse.ArgumentParser:
    from service.cli_words import install

    install()
    p = _Parser(prog="mo-docs", description="Документы методических объединений из их таблиц.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, title="команды", metavar="КОМАНДА")

    v = sub.add_parser("validate", help="проверить книгу и её соответствие Положению")
    v.add_argument("workbook", help=WORKBOOK_HELP + " (или gsheet:<id>, ссылка на Google Таблицу)")
    v.add_argument("--regulation", help="идентификатор Положения; по умолчанию из «Сведений»: "
                   + ", ".join(available()))
    v.add_argument("--as-of", type=_date, help="дата проверки ГГГГ-ММ-ДД (по умолчанию сегодня)")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.set_defaults(func=cmd_validate)

    g = sub.add_parser("generate", help="сформировать документ: протокол, лист регистрации, приказ, план, анализ, "
                                        "банк данных, график аттестации и другие документы Положения",
                       epilog="Виды документов: " + "; ".join(f"{k.id} — {k.title}" for k in CATALOGUE.values()) + ".")
    g.add_argument("kind", choices=KINDS, metavar="KIND", help="вид документа (список — ниже)")
    g.add_argument("workbook", help=WORKBOOK_HELP)
    g.add_argument("--meeting", type=int, help="номер заседания (протокол, лист регистрации)")
    g.add_argument("--plan-item", type=int, help="номер мероприятия плана (лист регистрации)")
    g.add_argument("--year", help="учебный год книги, например 2024-2025 (проверяется)")
    g.add_argument("--regulation", help="идентификатор Положения; по умолчанию из «Сведений»")
    g.add_argument("--out", help="папка документов; без неё — хранилище из настроек (MO_DOCS_FILING_URL, "
                   "по умолчанию папка documents экземпляра)")
    g.add_argument("--number", help="номер приказа")
    g.add_argument("--date", type=_date, help="дата приказа ГГГГ-ММ-ДД")
    g.add_argument("--format", choices=("xlsx", "docx"), help="формат банка данных: xlsx (по умолчанию) или docx")
    g.add_argument("--personal", action="store_true",
                   help="банк данных с личными данными: дата рождения, телефон, e-mail (152-ФЗ: только для тех, "
                        "кому они доверены)")
    g.add_argument("--as-of", type=_date, help="дата, на которую проверяется книга (по умолчанию сегодня)")
    g.add_argument("--pdf", action="store_true", help="также сохранить копию PDF/A для архива (нужен LibreOffice)")
    g.add_argument("--force", action="store_true", help="сформировать, несмотря на ошибки (с предупреждением в документе)")
    g.add_argument("--by", default=os.environ.get("USER", ""), help="кто формирует (для реестра)")
    g.set_defaults(func=cmd_generate)

    i = sub.add_parser("init-workbook", help="создать пустую книгу для заполнения")
    i.add_argument("path", help="куда записать книгу (.xlsx для Excel, .ods для LibreOffice, МойОфис, Р7-Офис)")
    i.add_argument("--format", choices=("xlsx", "ods"), dest="book_format",
                   help="формат книги; по умолчанию по расширению файла, иначе xlsx")
    i.add_argument("--regulation", help="идентификатор Положения")
    i.add_argument("--force", action="store_true", help="перезаписать существующий файл")
    i.set_defaults(func=cmd_init_workbook)

    s = sub.add_parser("serve", help="веб-служба (gunicorn); адрес — --host или MO_DOCS_HOST (по умолчанию 127.0.0.1)")
    s.add_argument("--host", help="адрес для приёма соединений, например 0.0.0.0 (нужна учётная запись администратора)")
    s.add_argument("--port", type=int, help="порт (по умолчанию MO_DOCS_PORT)")
    s.set_defaults(func=cmd_serve)
    w = sub.add_parser("worker", help="обработчик фоновых заданий (huey)")
    w.set_defaults(func=cmd_worker)
    r = sub.add_parser("run", help="веб-служба и обработчик вместе, с демонстрационными данными (make run)")
    r.set_defaults(func=cmd_run)
    sw = sub.add_parser("sweep", help="снова поставить в очередь задания упавших обработчиков (для таймера systemd)")
    sw.set_defaults(func=cmd_sweep)

    db = sub.add_parser("db", help="база данных службы: обновить схему до текущей версии")
    db_sub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser, metavar="ДЕЙСТВИЕ")
    up = db_sub.add_parser("upgrade", help="применить миграции (то же делается при каждом запуске)")
    up.set_defaults(func=cmd_db_upgrade)
    cur = db_sub.add_parser("current", help="показать версию схемы базы")
    cur.set_defaults(func=cmd_db_current)

    add_account_commands(sub, _Parser)

    b = sub.add_parser("backup", help="резервная копия: база данных, книги, документы (в новую папку)")
    b.add_argument("dir")
    b.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="восстановить из резервной копии в пустую базу и пустые папки")
    rs.add_argument("dir")
    rs.set_defaults(func=cmd_restore)

    d = sub.add_parser("demo", help="создать и проверить примерные книги трёх объединений")
    d.add_argument("--as-of", type=_date, help="дата проверки ГГГГ-ММ-ДД (по умолчанию сегодня)")
    d.add_argument("--dir", default="instance/demo", help="куда положить примерные книги (в папку workbooks/)")
    d.set_defaults(func=cmd_demo)

    dg = sub.add_parser("digests", help="еженедельные сводки по почте кураторам и руководителям МО")
    dg_sub = dg.add_subparsers(dest="digests_command", required=True, parser_class=_Parser, metavar="ДЕЙСТВИЕ")
    ds = dg_sub.add_parser("send", help="отправить сводки этой недели, которые ещё не отправлены (обычно это делает "
                                        "фоновый обработчик раз в неделю)")
    ds.set_defaults(func=cmd_digests_send)
    return p


def _source(location: str):
    """A workbook path, or `gsheet:<id>` / a Google Sheets link when MO_DOCS_GOOGLE_ENABLED is set."""
    google = None
    if os.environ.get("MO_DOCS_GOOGLE_ENABLED", "").lower() in ("1", "true", "yes", "on"):
        from service.google.config import GoogleServices, GoogleSettings

        google = GoogleServices(GoogleSettings.from_mapping(os.environ), state_dir=str(_instance()))
    return open_source(location, Limits.from_env(), google=google)


def cmd_validate(args) -> int:
    from service.pipeline import check
    from service.report_text import render_text

    report = check(_source(args.workbook), regulation_id=args.regulation, as_of=args.as_of)
    if args.format == "json":
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(report))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _filer(out: str):
    """`--out DIR`: a folder with its own registry (without it, documents go to the
    association's storage: `_workspace().generate`)."""
    from service.filing.local import LocalFiler

    return LocalFiler(Path(out))


def _workspace():
    """The service's workspace (database, configured storage), so documents made here
    appear on their association's page like those made in the browser."""
    from service.workspace.service import Workspace

    return Workspace(_settings())


def cmd_generate(args) -> int:
    from service.documents import DocumentRefused, Generator, Request
    from service.pdf import PdfUnavailable, pdfa_bytes
    from service.pipeline import check
    from service.schema.cells import CellError, parse_school_year

    if args.year:
        try:
            parse_school_year(args.year)
        except CellError as err:
            raise UsageError(f"--year: {err.message}")
    report = check(_source(args.workbook), regulation_id=args.regulation, as_of=args.as_of)
    if args.year and parse_school_year(args.year) != report.year:
        raise UsageError(f"в книге {report.year.title} учебный год, а запрошен {args.year}")
    request = Request(kind=args.kind, meeting=args.meeting, plan_item=args.plan_item, order_number=args.number,
                      order_date=args.date, force=args.force, requested_by=args.by, format=args.format,
                      personal=args.personal)
    try:
        if args.out:
            filer = _filer(args.out)
            outcome = Generator().generate(report, request, filer, today=args.as_of)
        else:
            ws = _workspace()
            a = ws.association_of(args.workbook, report)
            if a is None:
                raise UsageError("эта книга не добавлена в службу, поэтому документу нет места на странице "
                                 "объединения: загрузите книгу в службу или укажите папку --out")
            filer = ws.filer()               # the association's folder, listed on its page, journaled
            outcome = ws.generate(a.id, request, args.by or "mo-docs generate", today=args.as_of, report=report)
    except DocumentRefused as refused:
        print("Документ не сформирован." if refused.final else
              "Документ не сформирован: в книге ошибки, которые попали бы в него.")
        for f in refused.findings:
            print(f"  {f.sheet or ''} {f.cell or ''}  {f.message}  [{f.code}]".replace("   ", " "))
        if not refused.final:
            print("Исправьте их в таблице или добавьте --force, чтобы сформировать документ с предупреждением.")
        return EXIT_FINDINGS
    if outcome.notes:
        print("Внимание: в книге есть замечания, которые не попали в документ, но их стоит исправить:", file=sys.stderr)
        for f in outcome.notes:
            print(f"  {f.sheet or ''} {f.cell or ''}  {f.message}  [{f.code}]".replace("   ", " "), file=sys.stderr)
    if outcome.blocking:
        print(f"Внимание: документ сформирован с нарушениями ({len(outcome.blocking)}), "
              "предупреждение добавлено в его начало.", file=sys.stderr)
    if not outcome.filed.changed:
        print(f"Документ не изменился (версия {outcome.filed.version}).", file=sys.stderr)
    if args.personal:
        print("Внимание: документ содержит персональные данные (дата рождения, телефон, e-mail) — не пересылайте его "
              "тем, кому они не доверены.", file=sys.stderr)
    if args.pdf:
        try:
            pdf = pdfa_bytes(outcome.content, outcome.filename)
            print(filer.attach(outcome.filed, str(Path(outcome.filename).with_suffix(".pdf")), pdf))
        except PdfUnavailable as err:
            print(f"PDF не создан: {err}", file=sys.stderr)
    print(outcome.filed.url or outcome.filed.location)
    return EXIT_OK


def cmd_init_workbook(args) -> int:
    from service.blank_workbook import format_for, write_blank_workbook

    path = Path(args.path)
    if path.exists() and not args.force:
        raise UsageError(f"файл уже существует: {path} (добавьте --force, чтобы перезаписать)")
    if args.regulation and args.regulation not in available():
        raise UnknownRegulation(args.regulation)
    write_blank_workbook(path, regulation_id=args.regulation, fmt=format_for(path, args.book_format))
    print(path)
    return EXIT_OK


def _app(**overrides):
    from service import create_app
    from service.settings import SettingsError

    try:
        return create_app(overrides or None)
    except SettingsError as err:
        raise UsageError(str(err))




def cmd_serve(args) -> int:
    from service.serve import RefusedHost, serve

    overrides = {k: v for k, v in (("HOST", args.host), ("PORT", args.port)) if v is not None}
    app = _app(**overrides)
    try:
        serve(app)
    except RefusedHost as err:
        raise UsageError(str(err))
    return EXIT_OK


def cmd_worker(args) -> int:
    from jobs.worker import run_worker

    run_worker(_app())
    return EXIT_OK


def cmd_run(args) -> int:
    from service.supervisor import run_all

    os.environ.setdefault("MO_DOCS_ENV", "development")
    os.environ.setdefault("MO_DOCS_DEMO", "true")
    return run_all(_app())


def cmd_sweep(args) -> int:
    from service.supervisor import Sweeper

    again = Sweeper(_app(), every=0).run_once()
    if again:
        print(f"Снова в очереди: {len(again)} заданий.")
    return EXIT_OK


def cmd_digests_send(args) -> int:
    from service.desk.digests import send_all

    out = send_all(_app().extensions["workspace"], force=True)
    for email in out["sent"]:
        print(f"Отправлена: {email}")
    for failed in out["failed"]:
        print(f"mo-docs: не отправлена {failed['email']}: {failed['message']} [{failed['code']}]", file=sys.stderr)
    print(f"Отправлено сводок: {len(out['sent'])}; уже были на этой неделе или нечего отправлять: {out['skipped']}.")
    return EXIT_OK if not out["failed"] else EXIT_STORAGE


def _instance() -> Path:
    return Path(os.environ.get("MO_DOCS_INSTANCE", Path.cwd() / "instance")).resolve()


def _settings(**overrides) -> dict:
    """The service's settings for commands that need no secret key (generate, db, backup)."""
    from service.settings import SettingsError, load_settings

    try:
        return load_settings(_instance(), {"TESTING": True, **overrides})
    except SettingsError as err:
        raise UsageError(str(err))


def _database_url() -> str:
    return _settings()["DATABASE_URL"]


def cmd_db_upgrade(args) -> int:
    from sqlalchemy import create_engine

    from service.migrations import current, upgrade

    engine = create_engine(_database_url())
    before = current(engine)
    after = upgrade(engine)
    if before == after:
        print(f"Схема базы уже последней версии ({after}).")
    else:
        print(f"Схема базы обновлена: {before or 'без версии'} → {after}.")
    return EXIT_OK


def cmd_db_current(args) -> int:
    from sqlalchemy import create_engine

    from service.migrations import current, head

    version = current(create_engine(_database_url()))
    state = "последняя" if version == head() else f"последняя — {head()}"
    print(f"{version or 'без версии (база не создана или создана версией 0.1.0)'} ({state})")
    return EXIT_OK


def _backup_step(step, folder: str) -> dict:
    """Run backup() or restore() on this instance's settings; a refusal is one Russian line."""
    from service.backup import BackupError
    from service.filemodes import secure_process

    secure_process()
    settings = _settings(SECRET_KEY="not used by backup")
    try:
        return step(settings, _instance(), Path(folder))
    except BackupError as err:
        raise UsageError(str(err))


def cmd_backup(args) -> int:
    from service.backup import backup

    manifest = _backup_step(backup, args.dir)
    counts = ", ".join(f"{k}: {v}" for k, v in manifest["counts"].items())
    print(f"Резервная копия записана в {args.dir} (схема {manifest['revision']}; {counts}).")
    return EXIT_OK


def cmd_restore(args) -> int:
    from service.backup import restore

    manifest = _backup_step(restore, args.dir)
    print(f"Восстановлено из копии от {manifest['made_at']}; при запуске схема обновится до текущей.")
    return EXIT_OK


def cmd_demo(args) -> int:
    from service.demo import run_demo

    return run_demo(Path(args.dir), as_of=args.as_of, out=sys.stdout)


def _if_loaded(module: str, name: str) -> tuple[type, ...]:
    """An exception class to catch, if its module was loaded: a command that never files
    a document (`validate`) never imports the filing layer (hashlib's OpenSSL, dataclasses
    of keys) nor Google's, and an exception of a module never imported cannot have been
    raised."""
    loaded = sys.modules.get(module)
    return (getattr(loaded, name),) if loaded is not None else ()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SourceError as err:
        print(f"mo-docs: {err.message} [{err.code}]", file=sys.stderr)
    except UnknownRegulation as err:
        print(f"mo-docs: {err.message} [regulation.unknown]", file=sys.stderr)
    except _if_loaded("service.filing.base", "FilingError") as err:
        print(f"mo-docs: {err.message} [{err.code}]", file=sys.stderr)
        return EXIT_STORAGE
    except _if_loaded("service.filing.target", "FilingConfigError") as err:
        print(f"mo-docs: {err} [filing.config]", file=sys.stderr)
    except RenderError as err:
        print(f"mo-docs: {err.message} [{err.code}]", file=sys.stderr)
    except _if_loaded("service.google.config", "GoogleConfigError") as err:   # only when a Google source is used
        print(f"mo-docs: {err} [google.config]", file=sys.stderr)
    except (UsageError, OperatorError, ValueError) as err:
        print(f"mo-docs: {err}", file=sys.stderr)
    except BrokenPipeError:                 # `mo-docs validate … | head`
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    except KeyboardInterrupt:
        print("mo-docs: прервано", file=sys.stderr)
    except MemoryError:
        print("mo-docs: не хватило памяти: файл слишком велик [workbook.too_large]", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
