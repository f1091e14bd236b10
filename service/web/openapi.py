"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json and
validated by a test (openapi-spec-validator); the API tests check responses against
its schemas."""
from __future__ import annotations

from service.kinds import KINDS
from service.domain.compliance_matrix import COLUMNS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error_responses(*codes: int) -> dict:
    return {str(c): {"description": "Ошибка", "content": {"application/json": {"schema": _ref("Error")}}}
            for c in codes}


def _ok(schema: dict, status: str = "200", description: str = "OK") -> dict:
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def spec() -> dict:
    """The description, with every operation but this one requiring a signed-in person
    (a bearer token or the session cookie): 401 without one, 403 for an action the role
    does not allow, 404 for an association outside the person's scope.  Every operation
    may also answer 503 (the database is busy: retry after Retry-After seconds), and
    every POST 413 (a body over its limit)."""
    body = _spec()
    body["components"]["securitySchemes"] = {
        "token": {"type": "http", "scheme": "bearer", "description": "личный токен: mo-docs tokens create"},
        "session": {"type": "apiKey", "in": "cookie", "name": "mo-docs", "description": "вход на странице /login"}}
    body["components"]["securitySchemes"]["googleIdToken"] = {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "надстройка Google Таблиц: ScriptApp.getIdentityToken() (только /addon/* и /jobs/{job_id})"}
    body["security"] = [{"token": []}, {"session": []}]
    for path, ops in body["paths"].items():
        for method, op in ops.items():
            op["responses"].update(_error_responses(*((503, 413) if method == "post" else (503,))))
            if path == "/openapi.json":
                op["security"] = []
                continue
            if path.startswith("/addon/") or path == "/jobs/{job_id}":
                op["security"] = [{"googleIdToken": []}, {"token": []}, {"session": []}]
            op["responses"].update(_error_responses(401, 403))
    return body


def _spec() -> dict:
    nullable_int = {"type": ["integer", "null"]}
    nullable_str = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "mo-docs API", "version": "1",
                 "description": "Методические объединения: проверка книг и формирование документов."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/associations": {
                "get": {"summary": "Все объединения", "operationId": "listAssociations",
                        "responses": {**_ok({"type": "object", "required": ["associations"],
                                             "properties": {"associations": {"type": "array", "items": _ref("Association")}}}),
                                      **_error_responses(500)}},
                "post": {"summary": "Добавить объединение по Google Таблице (файлы .xlsx, .ods, .xls — через страницу "
                                    "загрузки)",
                         "operationId": "addAssociation",
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "object", "required": ["source"], "properties": {
                                 "source": {"type": "string", "description": "gsheet:<id> или ссылка на таблицу"},
                                 "regulation": {"type": "string"}}}}}},
                         "responses": {**_ok(_ref("Association"), "201", "Добавлено"),
                                       **_error_responses(400, 409, 415)}}},
            "/associations/{slug}": {"get": {"summary": "Одно объединение", "operationId": "getAssociation",
                                             "parameters": [SLUG],
                                             "responses": {**_ok(_ref("Association")), **_error_responses(404)}}},
            "/associations/{slug}/findings": {"get": {
                "summary": "Замечания последней проверки; с ?requirement= — только те, что стоят за ячейкой свода",
                "operationId": "getFindings",
                "parameters": [SLUG, {"name": "requirement", "in": "query", "required": False,
                                      "schema": {"enum": [c.id for c in COLUMNS]}}],
                "responses": {**_ok(_ref("FindingsReport")), **_error_responses(400, 404)}}},
            "/compliance": {"get": {
                "summary": "Свод: по строке на объединение в вашей зоне, по ячейке на требование Положения "
                           "(ok — выполнено, breach — нарушение, pending — ожидается, na — не требуется)",
                "operationId": "getCompliance",
                "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"},
                                "description": d} for n, d in (
                    ("territory", "территория"), ("regulation", "идентификатор Положения"),
                    ("status", "итог строки: breach, pending, ok, unreadable, unchecked"),
                    ("year", "учебный год, 2025-2026"), ("q", "часть названия"),
                    ("sort", "name, territory, regulation, status или идентификатор требования"),
                    ("dir", "desc — по убыванию"))],
                "responses": {**_ok(_ref("Compliance"))}}},
            "/associations/{slug}/members": {"get": {
                "summary": "Состав; даты рождения, телефоны и адреса — только руководителю, куратору и "
                           "администратору (просмотр записывается в журнал)",
                "operationId": "getMembers", "parameters": [SLUG],
                "responses": {**_ok({"type": "object", "required": ["association", "personal", "members"],
                                     "properties": {"association": {"type": "string"}, "personal": {"type": "boolean"},
                                                    "members": {"type": "array", "items": _ref("Member")}}}),
                              **_error_responses(404, 409)}}},
            "/associations/{slug}/check": {"post": {
                "summary": "Проверить книгу (задание)", "operationId": "requestCheck", "parameters": [SLUG],
                "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {**_ok(_ref("JobAccepted"), "202", "Задание принято"), **_error_responses(404, 415)}}},
            "/associations/{slug}/documents": {
                "get": {"summary": "Сформированные документы и их версии", "operationId": "listDocuments",
                        "parameters": [SLUG],
                        "responses": {**_ok({"type": "object", "required": ["documents"], "properties": {
                            "documents": {"type": "array", "items": _ref("Document")}}}), **_error_responses(404)}},
                "post": {"summary": "Сформировать документ (задание)", "operationId": "requestDocument",
                         "parameters": [SLUG],
                         "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DocumentRequest")}}},
                         "responses": {**_ok(_ref("JobAccepted"), "202", "Задание принято"),
                                       **_error_responses(400, 403, 404, 415)}}},
            "/kinds": {"get": {
                "summary": "Виды документов службы (для меню дополнения); с ?regulation= — какие требует Положение",
                "operationId": "listKinds",
                "parameters": [{"name": "regulation", "in": "query", "required": False, "schema": {"type": "string"}}],
                "responses": {**_ok({"type": "object", "required": ["kinds"], "properties": {
                    "regulation": nullable_str, "kinds": {"type": "array", "items": _ref("Kind")}}}),
                    **_error_responses(400)}}},
            "/reports/annual": {"post": {
                "summary": "Анализ работы для всех объединений (задание с ходом выполнения)",
                "operationId": "requestAnnualReports",
                "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {**_ok(_ref("JobAccepted"), "202", "Задание принято"), **_error_responses(415)}}},
            "/jobs/{job_id}": {"get": {
                "summary": "Состояние задания", "operationId": "getJob",
                "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**_ok(_ref("Job")), **_error_responses(404)}}},
            "/addon/check": {"post": {
                "summary": "Надстройка Google Таблиц: проверить присланные значения таблицы (ничего не сохраняется)",
                "operationId": "addonCheck",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("SheetPayload")}}},
                "responses": {**_ok(_ref("AddonCheck")), **_error_responses(400, 413, 415, 429, 503)}}},
            "/addon/documents": {"post": {
                "summary": "Надстройка Google Таблиц: сформировать документ по присланной таблице (задание)",
                "operationId": "addonDocument",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "allOf": [_ref("SheetPayload"), _ref("DocumentRequest")]}}}},
                "responses": {**_ok({"type": "object", "required": ["job", "created"], "properties": {
                    "job": _ref("Job"), "created": {"type": "boolean"},
                    "link": {"type": ["object", "null"], "description": "куда надстройка может записать ссылку на "
                                                                        "документ: строка заседания на листе «Заседания»"}}},
                    "202", "Задание принято"), **_error_responses(400, 404, 409, 413, 415, 429, 503)}}},
            "/addon/connect": {"post": {
                "summary": "Надстройка Google Таблиц: подключить таблицу — добавить её объединение в службу",
                "operationId": "addonConnect",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("SheetPayload")}}},
                "responses": {**_ok({"type": "object", "required": ["association"], "properties": {
                    "association": {"type": "object"}}}, "201", "Подключено"),
                    **_error_responses(400, 409, 413, 415, 429, 503)}}},
            "/openapi.json": {"get": {"summary": "Это описание", "operationId": "openapi",
                                      "responses": _ok({"type": "object"})}},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}}},
            "Association": {"type": "object", "required": ["slug", "name", "status", "links"], "properties": {
                "slug": {"type": "string"}, "name": {"type": "string"}, "short_name": {"type": "string"},
                "regulation": nullable_str, "school_year": nullable_str, "source": {"type": "string"},
                "status": {"type": "object", "properties": {"errors": nullable_int, "warnings": nullable_int,
                                                            "unreadable": nullable_str}},
                "checked_at": nullable_str,
                "next_deadline": {"type": ["object", "null"], "properties": {"date": {"type": "string"},
                                                                              "what": {"type": "string"}}},
                "links": {"type": "object"}}},
            "Finding": {"type": "object", "required": ["code", "severity", "message"], "properties": {
                "code": {"type": "string"}, "severity": {"enum": ["error", "warning", "info"]},
                "message": {"type": "string"}, "sheet": nullable_str, "cell": nullable_str, "clause": nullable_str,
                "meeting": nullable_int, "member": nullable_str, "period": nullable_str}},
            "Compliance": {"type": "object", "required": ["columns", "associations", "totals"], "properties": {
                "columns": {"type": "array", "items": {"type": "object", "required": ["id", "title"], "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"}}}},
                "statuses": {"type": "object"}, "filters": {"type": "object"}, "total": {"type": "integer"},
                "totals": {"type": "object", "description": "по требованию: сколько объединений в каждом состоянии"},
                "associations": {"type": "array", "items": {"type": "object", "required": ["slug", "status", "cells"],
                    "properties": {"slug": {"type": "string"}, "name": {"type": "string"},
                                   "short_name": {"type": "string"}, "territory": {"type": "string"},
                                   "regulation": nullable_str, "regulation_title": {"type": "string"},
                                   "school_year": nullable_str, "as_of": nullable_str,
                                   "status": {"enum": ["breach", "pending", "ok", "na", "unreadable", "unchecked"]},
                                   "counts": {"type": "object"},
                                   "cells": {"type": "object", "additionalProperties": _ref("ComplianceCell")}}}},
                "links": {"type": "object"}}},
            "ComplianceCell": {"type": "object", "required": ["status", "errors", "warnings", "codes"], "properties": {
                "status": {"enum": ["ok", "breach", "pending", "na"]}, "errors": {"type": "integer"},
                "warnings": {"type": "integer"}, "codes": {"type": "array", "items": {"type": "string"}},
                "clauses": {"type": "array", "items": {"type": "string"}},
                "findings": {"type": "string", "description": "замечания за этой ячейкой (API)"},
                "page": {"type": "string", "description": "они же на странице объединения"}}},
            "FindingsReport": {"type": "object", "required": ["association", "findings"], "properties": {
                "association": {"type": "string"}, "checked_at": nullable_str, "as_of": {"type": "string"},
                "regulation": nullable_str, "counts": {"type": ["object", "null"]},
                "findings": {"type": "array", "items": _ref("Finding")}, "requirement": nullable_str}},
            "DocumentRequest": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"enum": list(KINDS)}, "meeting": {"type": "integer", "minimum": 1},
                "plan_item": {"type": "integer", "minimum": 1}, "force": {"type": "boolean"},
                "number": {"type": "string"}, "date": {"type": "string", "format": "date"},
                "format": {"enum": ["docx", "xlsx"],
                           "description": "формат (у банка данных: xlsx по умолчанию или docx)"},
                "personal": {"type": "boolean", "description": "банк данных с датой рождения, телефоном и e-mail "
                                                               "(только тем, кому они доступны; иначе 403)"}}},
            "Kind": {"type": "object", "required": ["kind", "title", "formats", "needs", "options", "required"],
                     "properties": {
                         "kind": {"enum": list(KINDS)}, "title": {"type": "string"},
                         "formats": {"type": "array", "items": {"enum": ["docx", "xlsx"]}},
                         "needs": {"enum": [None, "meeting", "meeting_or_plan_item"]},
                         "options": {"type": "array", "items": {"type": "string"}},
                         "required": {"type": ["object", "null"], "properties": {
                             "clause": {"type": "string"}, "title": {"type": "string"}}}}},
            "Job": {"type": "object", "required": ["id", "kind", "state"], "properties": {
                "id": {"type": "string"}, "kind": {"type": "string"},
                "state": {"enum": ["queued", "running", "done", "failed"]}, "attempts": {"type": "integer"},
                "association_id": nullable_int, "params": {"type": "object"},
                "progress": {"type": "object", "properties": {"done": {"type": "integer"}, "total": {"type": "integer"}}},
                "created_at": nullable_str, "finished_at": nullable_str,
                "result": {"type": ["object", "null"]}, "error": {"type": ["object", "null"]}, "links": {"type": "object"}}},
            "Member": {"type": "object", "required": ["full_name", "role"], "properties": {
                "full_name": {"type": "string"}, "organisation": nullable_str, "position": nullable_str,
                "role": {"type": "string"}, "category": nullable_str, "joined": nullable_str, "left": nullable_str,
                "birth_date": nullable_str, "email": nullable_str, "phone": nullable_str}},
            "JobAccepted": {"type": "object", "required": ["job", "created"], "properties": {
                "job": _ref("Job"), "created": {"type": "boolean"}}},
            "SheetPayload": {"type": "object", "required": ["spreadsheet", "sheets"], "properties": {
                "spreadsheet": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"},
                    "time_zone": {"type": "string", "description": "часовой пояс таблицы, например Asia/Novosibirsk"}}},
                "sheets": {"type": "array", "items": {"type": "object", "required": ["name", "values"], "properties": {
                    "name": {"type": "string"},
                    "values": {"type": "array", "items": {"type": "array"},
                               "description": "getValues() диапазона данных от A1; даты — строки ISO в часовом поясе "
                                              "таблицы"},
                    "display_values": {"type": ["array", "null"], "items": {"type": "array"},
                                       "description": "getDisplayValues() того же диапазона"}}}}}},
            "AddonCheck": {"type": "object", "required": ["findings", "counts", "addon"],
                           "description": "то же, что mo-docs validate --format json, и addon — что показывает "
                                          "боковая панель (объединение, права, виды документов, заседания)",
                           "properties": {
                               "workbook": {"type": "string"}, "regulation": nullable_str,
                               "school_year": nullable_str, "as_of": {"type": "string"},
                               "findings": {"type": "array", "items": _ref("Finding")},
                               "counts": {"type": "object"}, "addon": {"type": "object"}}},
            "Document": {"type": "object", "required": ["id", "kind", "version", "download"], "properties": {
                "id": {"type": "integer"}, "kind": {"enum": list(KINDS)}, "year": {"type": "string"},
                "number": {"type": "string"}, "version": {"type": "integer"}, "created_at": {"type": "string"},
                "requested_by": {"type": "string"}, "sha256": {"type": "string"}, "personal": {"type": "boolean"},
                "download": {"type": "string"},
                "name": {"type": "string", "description": "имя файла документа"},
                "link": {"type": ["string", "null"],
                         "description": "где документ открывается в самом хранилище (Google Диск, WebDAV, Яндекс "
                                        "Диск); null — только через download"}}},
        }},
    }
