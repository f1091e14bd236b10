"""What each document template receives: plain data built from a checked workbook.

Values stay raw (dates as dates, full names as typed); office formatting happens in
the templates through the filters of `service.render.environment`, so a head who
edits a template in Word controls the wording.  doc_templates/README.md lists the
variables of each template; a test keeps it in step with these builders.
"""
from service.render.contexts.annual import annual_report_context
from service.render.contexts.attestation import attestation_context
from service.render.contexts.cyclogram import cyclogram_context
from service.render.contexts.databank import data_bank_context
from service.render.contexts.needs import needs_context
from service.render.contexts.order import order_context
from service.render.contexts.plan import work_plan_context
from service.render.contexts.portfolio import portfolio_context
from service.render.contexts.practices import practices_context
from service.render.contexts.protocol import protocol_context
from service.render.contexts.registration import registration_context
from service.render.contexts.self_assessment import self_assessment_context
from service.render.contexts.young import young_specialists_context

__all__ = ["annual_report_context", "attestation_context", "cyclogram_context", "data_bank_context", "needs_context",
           "order_context", "portfolio_context", "practices_context", "protocol_context", "registration_context",
           "self_assessment_context", "work_plan_context", "young_specialists_context"]
