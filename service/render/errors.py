"""Why a document could not be rendered, as data: a stable code and a Russian message."""


class RenderError(Exception):
    CODES = {
        "template.unsafe": "Шаблон обращается к недопустимым объектам и не будет использован.",
        "template.syntax": "В шаблоне ошибка разметки.",
        "template.missing_variables": "Шаблон использует данные, которых нет.",
        "template.too_expensive": "Шаблон слишком долго формируется или даёт слишком большой документ.",
        "template.unreadable": "Файл шаблона не является документом Word (.docx) или повреждён.",
    }

    def __init__(self, code: str, message: str):
        assert code in self.CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
