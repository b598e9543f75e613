"""`campaigns import cat actions.json`: the Collective Action in Tech archive as coded records.

Each archive record becomes one Action (its first action word that maps to one of our tactics)
inside a Campaign of its own, with no demands, so the campaign's outcome rolls up to
``unknown``: the archive records actions, not whether demands were met. Companies resolve
through the registry (``alphabet`` and ``google`` meet under one parent, ``whole_foods`` sits
under Amazon); each source URL becomes Evidence on the action. Ids derive from the archive's
ids, so re-importing changes nothing. Records without a company, ``na`` values, missing worker
counts and zero to many locations are all expected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns import records
from campaigns.registry import ensure_company, find_company
from db.engine import session_scope
from db.models import Action, Campaign, Company

ACTOR = "import:collective-action-in-tech"

# The archive's action words -> our tactics (codebook.TACTIC).
TACTICS = {
    "protest": "protest",
    "open letter": "open_letter",
    "petition": "petition",
    "strike": "strike",
    "walkout": "walkout",
    "union drive": "union_drive",
    "union representation": "union_drive",
    "union contract": "union_drive",
    "legal action": "legal_action",
    "resignation": "resignation",
    "hacktivism": "online_campaign",
    "boycott": "other",
    "resources": "other",
}
STRUGGLES = {
    "ethics": "ethics",
    "pay and benefits": "pay_and_benefits",
    "working conditions": "working_conditions",
    "discrimination": "discrimination",
    "unfair labor practices": "unfair_labor_practices",
    "job security": "job_security",
}
# Archive company names the registry may not know: display name and parent slug.
COMPANIES: dict[str, tuple[str, str | None]] = {
    "alphabet": ("Alphabet", None),
    "google": ("Google", "alphabet"),
    "youtube": ("YouTube", "google"),
    "whole_foods": ("Whole Foods Market", "amazon"),
    "mechanical_turk": ("Amazon Mechanical Turk", "amazon"),
    "facebook": ("Meta", None),
    "meta": ("Meta", None),
    "instagram": ("Instagram", "meta"),
    "whatsapp": ("WhatsApp", "meta"),
    "github": ("GitHub", "microsoft"),
    "ubereats": ("Uber Eats", "uber"),
    "didi_food": ("DiDi Food", "didi"),
    "gimlet media": ("Gimlet Media", "spotify"),
    "parcast": ("Parcast", "spotify"),
    "the ringer": ("The Ringer", "spotify"),
    "bosch.io": ("Bosch.IO", "bosch"),
    "foodera": ("Foodora", None),
}
MISSING = {"", "na", "n/a", "none", "null", "unknown"}


class CatArchiveError(ValueError):
    """The archive file cannot be read; nothing was imported."""


@dataclass
class CatImportSummary:
    source: str
    records: int = 0
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    without_company: int = 0

    def count(self, record_type: str, change: str) -> None:
        per_type = self.changes.setdefault(record_type, {})
        per_type[change] = per_type.get(change, 0) + 1

    @property
    def changed(self) -> int:
        return sum(n for per in self.changes.values() for k, n in per.items() if k != "unchanged")


def _present(values: Any) -> list[str]:
    """A list field without its gaps (None, '', 'na')."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [
        str(v).strip() for v in values if v is not None and str(v).strip().lower() not in MISSING
    ]


def tactic_for(words: list[str]) -> str:
    """The first action word that maps to a real tactic; ``other`` when none does."""
    mapped = [TACTICS.get(w.lower(), "other") for w in words]
    return next((t for t in mapped if t != "other"), "other")


def _date(value: Any, record_id: Any) -> date | None:
    text = str(value or "").strip()
    if text.lower() in MISSING:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise CatArchiveError(f"record {record_id}: date {text!r} is not YYYY/MM/DD") from None


def _participants(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value).strip().replace(",", "")
    return int(text) if text.isdigit() else None


def resolve_company(session: Session, name: str, cache: dict[str, Company]) -> Company:
    """The registry's company for an archive name, created (with its parent) when unknown."""
    key = name.strip().lower()
    if key in cache:
        return cache[key]
    display, parent_slug = COMPANIES.get(key, (name.strip().replace("_", " "), None))
    company = find_company(session, key.replace("_", " ")) or find_company(session, display)
    if company is None:
        company = ensure_company(session, display)
    if parent_slug and company.parent_id is None and company.slug != parent_slug:
        parent_display = next(
            (d for k, (d, _) in COMPANIES.items() if k == parent_slug), parent_slug.title()
        )
        parent = find_company(session, parent_slug) or ensure_company(session, parent_display)
        if parent.id != company.id:
            company.parent_id = parent.id
            session.flush()
    cache[key] = company
    return company


def _title(record: dict[str, Any], companies: list[str], tactic: str, day: date | None) -> str:
    who = ", ".join(c.replace("_", " ").title() for c in companies[:2]) or "Tech workers"
    words = ", ".join(_present(record.get("actions"))) or tactic.replace("_", " ")
    when = f" ({day:%Y-%m})" if day else ""
    return f"{who}: {words}{when}"[:500]


def load_archive(path: Path) -> list[dict[str, Any]]:
    """The archive's records; a clear error when the file is not the archive."""
    if not path.is_file():
        raise CatArchiveError(f"{path}: no such file (the archive is actions.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CatArchiveError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) and "id" in r for r in data):
        raise CatArchiveError(
            f"{path}: expected a JSON list of action records with ids "
            "(actions.json of collective-action/tech)"
        )
    return data


def write_record(
    session: Session, record: dict[str, Any], summary: CatImportSummary, cache: dict[str, Company]
) -> None:
    """One archive record: its campaign, its action and the action's evidence."""
    record_id = record["id"]
    day = _date(record.get("date"), record_id)
    company_names = _present(record.get("companies"))
    companies = [resolve_company(session, name, cache) for name in company_names]
    if not companies:
        summary.without_company += 1
    words = _present(record.get("actions"))
    tactic = tactic_for(words)
    struggles = [
        STRUGGLES[s.lower()] for s in _present(record.get("struggles")) if s.lower() in STRUGGLES
    ]
    description = str(record.get("description") or "").strip() or None
    campaign_id = f"cat-{record_id}"
    note = f"Collective Action in Tech record {record_id}; actions: {', '.join(words) or 'none'}"
    if len(companies) > 1:
        note += "; companies: " + ", ".join(c.name for c in companies)
    result = records.upsert(
        session,
        Campaign,
        campaign_id,
        {
            "title": _title(record, company_names, tactic, day),
            "company_id": companies[0].id if companies else None,
            "struggle": struggles[0] if struggles else None,
            "started_on": day,
            "summary": f"{description}\n\n({note})" if description else f"({note})",
            "coded_by": ACTOR,
            "review_status": "proposed",
        },
        actor=ACTOR,
        record_type="campaign",
    )
    summary.count("campaign", result.change)
    session.flush()
    participants = _participants(record.get("workers"))
    locations = _present(record.get("locations"))
    action_id = f"cat-{record_id}-action"
    result = records.upsert(
        session,
        Action,
        action_id,
        {
            "campaign_id": campaign_id,
            "tactic": tactic,
            "happened_on": day,
            "online": True if record.get("online") is True else None,
            "participants_low": participants,
            "participants_high": participants,
            "location": "; ".join(locations) or None,
            "description": description,
            "coded_by": ACTOR,
            "review_status": "proposed",
        },
        actor=ACTOR,
        record_type="action",
    )
    summary.count("action", result.change)
    session.flush()
    for url in dict.fromkeys(_present(record.get("sources"))):
        result = records.add_evidence(
            session, record_type="action", record_id=action_id, url=url[:2000], actor=ACTOR
        )
        summary.count("evidence", result.change)


def import_cat_archive(engine: Engine, path: Path) -> CatImportSummary:
    """Import the whole archive in one transaction; a second import changes nothing."""
    archive = load_archive(path)
    summary = CatImportSummary(source=str(path))
    cache: dict[str, Company] = {}
    with session_scope(engine) as session:
        for record in archive:
            write_record(session, record, summary, cache)
            summary.records += 1
    return summary
