"""The company registry: companies, their parents, aliases, units and former names.

A curated registry ships as ``campaigns/data/companies.csv`` (editable: add a row, run
``campaigns init``). Names are resolved through normalised aliases, which are unique across
companies, so 'AWS', 'Amazon Web Services' and 'amazon web services inc.' meet in one record.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from campaigns.text import normalize_name, slugify
from db.models import Company, CompanyAlias

REGISTRY_PATH = Path(__file__).resolve().parent / "data" / "companies.csv"


@dataclass(frozen=True)
class RegistryEntry:
    slug: str
    name: str
    parent_slug: str | None = None
    aliases: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()


@dataclass
class Registry:
    entries: dict[str, RegistryEntry] = field(default_factory=dict)

    def names(self) -> Iterable[tuple[str, str, str]]:
        """(normalised name, slug, kind) for every name a company goes by."""
        for entry in self.entries.values():
            yield normalize_name(entry.name), entry.slug, "name"
            yield normalize_name(entry.slug.replace("-", " ")), entry.slug, "alias"
            for kind, values in (
                ("alias", entry.aliases),
                ("unit", entry.units),
                ("former_name", entry.former_names),
            ):
                for value in values:
                    yield normalize_name(value), entry.slug, kind


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    """Read the registry CSV; a bad row names the file and row."""
    registry = Registry()
    rows: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            slug = (row.get("slug") or "").strip()
            name = (row.get("name") or "").strip()
            if not slug or not name:
                raise ValueError(f"{path}, row {row_number}: slug and name are required")
            if slug in rows:  # the later row would silently replace the earlier one
                raise ValueError(
                    f"{path}, row {row_number}: slug {slug!r} is already on row {rows[slug]}; "
                    "merge the two rows into one"
                )
            rows[slug] = row_number
            registry.entries[slug] = RegistryEntry(
                slug=slug,
                name=name,
                parent_slug=(row.get("parent_slug") or "").strip() or None,
                aliases=_split(row.get("aliases")),
                units=_split(row.get("units")),
                former_names=_split(row.get("former_names")),
            )
    for entry in registry.entries.values():
        if entry.parent_slug and entry.parent_slug not in registry.entries:
            raise ValueError(f"{path}: {entry.slug} names unknown parent {entry.parent_slug!r}")
    return registry


def registry_from_store(session: Session) -> Registry:
    """The company registry as the store holds it (user edits included)."""
    companies = {c.id: c for c in session.exec(select(Company)).all()}
    aliases: dict[int, dict[str, list[str]]] = {}
    for alias in session.exec(select(CompanyAlias)).all():
        aliases.setdefault(alias.company_id, {}).setdefault(alias.kind, []).append(alias.alias)
    registry = Registry()
    for company in companies.values():
        parent = companies.get(company.parent_id) if company.parent_id else None
        kinds = aliases.get(company.id or -1, {})
        registry.entries[company.slug] = RegistryEntry(
            slug=company.slug,
            name=company.name,
            parent_slug=parent.slug if parent else None,
            aliases=tuple(kinds.get("alias", []) + kinds.get("name", [])),
            units=tuple(kinds.get("unit", [])),
            former_names=tuple(kinds.get("former_name", [])),
        )
    return registry


def sync_registry(session: Session, registry: Registry | None = None) -> int:
    """Create or update companies and aliases from the registry; returns companies touched.

    Aliases already owned by another company are left alone (the first owner keeps them), so a
    user's own edits in the database are never overwritten by the shipped file.
    """
    registry = registry or load_registry()
    by_slug = {c.slug: c for c in session.exec(select(Company)).all()}
    touched = 0
    for entry in registry.entries.values():
        company = by_slug.get(entry.slug)
        if company is None:
            company = Company(slug=entry.slug, name=entry.name)
            session.add(company)
            by_slug[entry.slug] = company
            touched += 1
    session.flush()
    for entry in registry.entries.values():
        company = by_slug[entry.slug]
        parent = by_slug.get(entry.parent_slug) if entry.parent_slug else None
        if parent is not None and company.parent_id is None:
            company.parent_id = parent.id
    owned = {a.alias: a.company_id for a in session.exec(select(CompanyAlias)).all()}
    for alias, slug, kind in registry.names():
        if alias and alias not in owned:
            company_id = by_slug[slug].id
            assert company_id is not None
            session.add(CompanyAlias(company_id=company_id, alias=alias, kind=kind))
            owned[alias] = company_id
    session.flush()
    return touched


def find_company(session: Session, name: str) -> Company | None:
    """The company a name or alias refers to, or None."""
    key = normalize_name(name)
    if not key:
        return None
    alias = session.exec(select(CompanyAlias).where(CompanyAlias.alias == key)).first()
    if alias is not None:
        return session.get(Company, alias.company_id)
    return session.exec(select(Company).where(Company.slug == slugify(name))).first()


def ensure_company(session: Session, name: str) -> Company:
    """The company called ``name``, created (with its name as an alias) when unknown."""
    company = find_company(session, name)
    if company is not None:
        return company
    company = Company(slug=slugify(name), name=name.strip())
    session.add(company)
    session.flush()
    assert company.id is not None
    session.add(CompanyAlias(company_id=company.id, alias=normalize_name(name), kind="name"))
    session.flush()
    return company


def descendant_ids(session: Session, company_ids: Iterable[int]) -> set[int]:
    """The given companies and every subsidiary below them, at any depth."""
    children: dict[int | None, list[int]] = {}
    for company_id, parent_id in session.exec(select(Company.id, Company.parent_id)).all():
        assert company_id is not None
        children.setdefault(parent_id, []).append(company_id)
    result: set[int] = set()
    stack = list(company_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return result


def top_parent(companies: dict[int, Company], company_id: int | None) -> Company | None:
    """The top of a company's parent chain (the company itself when it has no parent)."""
    seen: set[int] = set()
    current = companies.get(company_id) if company_id is not None else None
    while current is not None and current.parent_id is not None and current.id not in seen:
        seen.add(current.id)  # type: ignore[arg-type]
        parent = companies.get(current.parent_id)
        if parent is None:
            break
        current = parent
    return current
