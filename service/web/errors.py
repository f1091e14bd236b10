"""One error shape for every API failure, and a readable Russian page for browsers.

API: {"error": {"code": "...", "message": "...", "details": ...}} with the HTTP status.
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

BUSY_MESSAGE = "База данных службы сейчас занята другой операцией. Повторите через несколько секунд."
RETRY_AFTER_SECONDS = 5
MESSAGES = {
    400: ("request.invalid", "Неверный запрос."),
    401: ("auth.required", "Нужно войти в службу."),
    403: ("auth.forbidden", "Это действие недоступно для вашей роли."),
    410: ("gone", "Больше недоступно."),
    429: ("auth.throttled", "Слишком много запросов: повторите позже."),
    404: ("not_found", "Не найдено."),
    405: ("method_not_allowed", "Этот метод здесь не поддерживается."),
    409: ("conflict", "Конфликт с текущим состоянием."),
    413: ("upload.too_large", "Файл слишком большой."),
    415: ("request.not_json", "Ожидается JSON (Content-Type: application/json)."),
    416: ("request.range", "Запрошенная часть файла лежит за его концом: скачайте файл целиком."),
    503: ("service.busy", BUSY_MESSAGE),
    422: ("request.invalid", "Запрос понятен, но выполнить его нельзя."),
    500: ("internal", "Внутренняя ошибка службы. Попробуйте позже."),
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details=None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def error_body(code: str, message: str, details=None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return body


def _busy():
    """A locked database is a passing state, not a fault: 503 with Retry-After."""
    if _wants_json():
        response = jsonify(error_body("service.busy", BUSY_MESSAGE))
    else:
        response = render_template("error.html", status=503, message=BUSY_MESSAGE, details=None)
    return response, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        headers = {"WWW-Authenticate": 'Bearer realm="mo-docs"'} if err.status == 401 else {}
        headers.update(err.headers)
        if _wants_json():
            return jsonify(error_body(err.code, err.message, err.details)), err.status, headers
        return (render_template("error.html", status=err.status, message=err.message, details=err.details),
                err.status, headers)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        code, message = MESSAGES.get(err.code, ("http.error", f"Запрос не выполнен (код {err.code})."))
        if err.code == 400 and err.description == "csrf":
            code, message = "csrf.invalid", "Форма устарела: обновите страницу и повторите."
        if err.code == 400 and err.description == "host":
            code, message = "request.host", ("Служба отвечает только по своему адресу (MO_DOCS_PUBLIC_URL) или с "
                                             "этого компьютера (127.0.0.1, localhost).")
        if err.code == 413:
            limit = app.config["MAX_UPLOAD_BYTES"]
            size = (f"{limit / (1024 * 1024):.1f}".removesuffix(".0") + " МБ" if limit >= 1024 * 1024
                    else f"{limit / 1024:.1f}".removesuffix(".0") + " КБ").replace(".", ",")
            message = f"Файл слишком большой: допускается до {size}."
        if _wants_json():
            return jsonify(error_body(code, message)), err.code
        return render_template("error.html", status=err.code, message=message, details=None), err.code

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        from service.db import is_busy

        if is_busy(err):
            return _busy()
        app.logger.exception("unhandled error")
        code, message = MESSAGES[500]
        if _wants_json():
            return jsonify(error_body(code, message)), 500
        return render_template("error.html", status=500, message=message, details=None), 500
