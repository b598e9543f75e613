"""The rules a hand edit must keep, checked against the codebook before anything is written.

Each check returns the reasons a record breaks the rules (empty when it keeps them), so a form
can show every reason at once and save nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from campaigns import codebook as cb
from campaigns.flatfile import is_web_url

MAX_TITLE = 500
MAX_TEXT = 5000


class EditRefused(ValueError):
    """An edit that breaks a rule; nothing was saved. ``reasons`` says what to fix."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("Not saved: " + " ".join(reasons))
        self.reasons = reasons


def _choice(reasons: list[str], label: str, value: Any, vocab: cb.Vocabulary) -> None:
    if value is not None and value not in vocab.values:
        reasons.append(f"{label} {str(value)[:40]!r} is not one of: {', '.join(vocab.values)}.")


def _text(reasons: list[str], label: str, value: Any, limit: int, required: bool) -> None:
    if value is None or not str(value).strip():
        if required:
            reasons.append(f"{label} is required.")
        return
    if len(str(value)) > limit:
        reasons.append(f"{label} is longer than {limit} characters.")
    if "\x00" in str(value):
        reasons.append(f"{label} contains a NUL byte.")


def _not_future(reasons: list[str], label: str, day: date | None, today: date) -> None:
    if day is not None and day > today:
        reasons.append(f"{label} {day.isoformat()} is in the future.")


def campaign_problems(values: dict[str, Any], today: date) -> list[str]:
    """Why a campaign's values break the rules."""
    reasons: list[str] = []
    _text(reasons, "The title", values.get("title"), MAX_TITLE, required=True)
    _choice(reasons, "Struggle", values.get("struggle"), cb.STRUGGLE)
    _text(reasons, "The summary", values.get("summary"), MAX_TEXT, required=False)
    _not_future(reasons, "The start date", values.get("started_on"), today)
    return reasons


def demand_problems(values: dict[str, Any], today: date) -> list[str]:
    """Why a demand's values break the rules (outcome date before the demand, and so on)."""
    reasons: list[str] = []
    _text(reasons, "The demand text", values.get("text"), MAX_TEXT, required=True)
    _choice(reasons, "Demand type", values.get("demand_type"), cb.DEMAND_TYPE)
    outcome = values.get("outcome") or "unknown"
    _choice(reasons, "Outcome", outcome, cb.OUTCOME)
    stated, outcome_on = values.get("first_stated_on"), values.get("outcome_on")
    _not_future(reasons, "The demand date", stated, today)
    _not_future(reasons, "The outcome date", outcome_on, today)
    if stated is not None and outcome_on is not None and outcome_on < stated:
        reasons.append(
            f"The outcome date {outcome_on.isoformat()} is before the demand date "
            f"{stated.isoformat()}."
        )
    if outcome == "pending" and outcome_on is not None:
        reasons.append("A pending demand has no outcome date: clear the date or set the outcome.")
    reversed_on = values.get("reversed_on")
    if reversed_on is not None and outcome_on is not None and reversed_on < outcome_on:
        reasons.append("The reversal date is before the outcome date.")
    _text(reasons, "The outcome note", values.get("outcome_note"), MAX_TEXT, required=False)
    return reasons


def action_problems(values: dict[str, Any], today: date) -> list[str]:
    """Why an action's values break the rules."""
    reasons: list[str] = []
    if not values.get("tactic"):
        reasons.append("A tactic is required.")
    _choice(reasons, "Tactic", values.get("tactic"), cb.TACTIC)
    _not_future(reasons, "The action date", values.get("happened_on"), today)
    low, high = values.get("participants_low"), values.get("participants_high")
    for label, number in (("low", low), ("high", high)):
        if number is not None and number < 0:
            reasons.append(f"Participants ({label}) cannot be negative.")
    if low is not None and high is not None and low > high:
        reasons.append("Participants: the low estimate is above the high estimate.")
    _text(reasons, "The description", values.get("description"), MAX_TEXT, required=False)
    return reasons


def response_problems(
    values: dict[str, Any], answered_demand_dates: Iterable[date | None], today: date
) -> list[str]:
    """Why a response's values break the rules (e.g. answering before the demand was made)."""
    reasons: list[str] = []
    if not values.get("response_type"):
        reasons.append("A response type is required.")
    _choice(reasons, "Response type", values.get("response_type"), cb.RESPONSE_TYPE)
    responded_on = values.get("responded_on")
    _not_future(reasons, "The response date", responded_on, today)
    dated = [d for d in answered_demand_dates if d is not None]
    if responded_on is not None and dated and responded_on < min(dated):
        reasons.append(
            f"The response date {responded_on.isoformat()} is before the demand it answers "
            f"({min(dated).isoformat()})."
        )
    _text(reasons, "The summary", values.get("summary"), MAX_TEXT, required=False)
    return reasons


def evidence_problems(url: str, kind: str | None, record_type: str) -> list[str]:
    """Why a piece of evidence cannot be attached."""
    reasons: list[str] = []
    if not is_web_url(url.strip()):
        reasons.append(f"{url[:80]!r} is not an http(s) URL.")
    _choice(reasons, "Evidence kind", kind, cb.EVIDENCE_KIND)
    _choice(reasons, "Record type", record_type, cb.RECORD_TYPE)
    return reasons
