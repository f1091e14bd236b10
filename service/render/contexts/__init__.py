"""What each document template receives: plain data built from a checked workbook.

Values stay raw (dates as dates, full names as typed); office formatting happens in
the templates through the filters of `service.render.environment`, so a head who
edits a template in Word controls the wording.  doc_templates/README.md lists the
variables of each template; a test keeps it in step with these builders.
"""
from service.render.contexts.annual import annual_report_context
from service.render.contexts.order import order_context
from service.render.contexts.plan import work_plan_context
from service.render.contexts.protocol import protocol_context
from service.render.contexts.registration import registration_context

__all__ = ["annual_report_context", "order_context", "protocol_context", "registration_context",
           "work_plan_context"]
