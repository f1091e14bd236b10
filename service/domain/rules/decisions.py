"""Decisions: one per agenda question, taken by simple majority where required."""
from __future__ import annotations

from service.domain.rules.base import Context, Rule
from service.russian.plural import count
from service.schema.findings import finding


class DecisionPerItem(Rule):
    """«По каждому из обсуждаемых вопросов принимается решение»."""

    kind = "decision_per_item"

    def check(self, ctx: Context):
        sheet = ctx.sheet("agenda", "Повестка")
        for m in ctx.held():
            for item in ctx.wb.agenda_of(m.number):
                if not item.decided:
                    yield finding("agenda.no_decision", self.cite(
                        f"{item.cells.get('decided') or item.cells.get('question')}: по вопросу №{item.number} "
                        f"заседания №{m.number} («{item.question[:60]}») не записано решение"),
                        sheet=sheet, cell=item.cells.get("decided"), clause=self.clause, meeting=m.number)


class SimpleMajority(Rule):
    """«Решения принимаются простым большинством голосов»: reading — «за» more than
    half of the votes cast (за + против + воздержались); votes cannot outnumber
    the members present."""

    kind = "simple_majority"

    def check(self, ctx: Context):
        sheet = ctx.sheet("agenda", "Повестка")
        for m in ctx.held():
            present = None
            if m.number in ctx.wb.attendance_columns:
                present = ctx.presence(m)[0]
            for item in ctx.wb.agenda_of(m.number):
                if not item.has_votes:
                    continue
                yes, no, abstained = (item.votes_for or 0), (item.votes_against or 0), (item.votes_abstained or 0)
                cast = yes + no + abstained
                cell = item.cells.get("votes_for")
                if present is not None and cast > present:
                    yield finding("decision.votes_exceed_present", self.cite(
                        f"{cell}: по вопросу №{item.number} заседания №{m.number} подано "
                        f"{count(cast, 'голос', 'голоса', 'голосов')}, а присутствовало "
                        f"{count(present, 'член', 'члена', 'членов')}"), sheet=sheet, cell=cell, clause=self.clause,
                        meeting=m.number)
                if cast and yes * 2 <= cast:
                    yield finding("decision.no_majority", self.cite(
                        f"{cell}: решение по вопросу №{item.number} заседания №{m.number} не принято — "
                        f"за {yes}, против {no}, воздержались {abstained}"), sheet=sheet, cell=cell,
                        clause=self.clause, meeting=m.number)
