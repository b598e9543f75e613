"""Adding a company to the registry the store holds, without editing the shipped file.

The linking engine matches posts against the store's registry (``campaigns.registry.registry_from_store``), so a
company added here is matched from the next ``campaigns link`` on; ``campaigns link --again``
reads the posts already read. Names are checked before anything is written: a name another
company goes by is refused, and nothing is half-added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.registry import find_company, registry_from_store
from campaigns.text import normalize_name, slugify
from db.engine import session_scope
from db.models import Company, CompanyAlias


class CompanyEditError(ValueError):
    """A company edit that cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True)
class CompanyAdded:
    slug: str
    name: str
    created: bool
    names_added: tuple[str, ...]
    parent: str | None


def add_company(
    engine: Engine,
    name: str,
    *,
    aliases: Sequence[str] = (),
    units: Sequence[str] = (),
    former_names: Sequence[str] = (),
    parent: str | None = None,
) -> CompanyAdded:
    """Add a company (or more names for one already there) in one transaction."""
    name = name.strip()
    if not normalize_name(name) or not slugify(name):
        raise CompanyEditError("a company needs a name with letters or digits")
    wanted = [(name, "name")] + [
        (value.strip(), kind)
        for values, kind in ((aliases, "alias"), (units, "unit"), (former_names, "former_name"))
        for value in values
        if normalize_name(value)
    ]
    with session_scope(engine) as session:
        parent_company = _parent(session, parent)
        company = find_company(session, name)
        owners = _owners(session, [normalize_name(value) for value, _ in wanted])
        for value, _ in wanted:
            owner = owners.get(normalize_name(value))
            if owner is not None and (company is None or owner.id != company.id):
                raise CompanyEditError(
                    f"'{value}' already names {owner.name} ({owner.slug}); "
                    f'add it there with `campaigns companies add "{owner.name}" --alias ...`'
                )
        if parent_company is not None and company is not None and parent_company.id == company.id:
            raise CompanyEditError(f"{company.name} cannot be its own parent")
        created = company is None
        if company is None:
            company = Company(slug=slugify(name), name=name)
            session.add(company)
            session.flush()
        assert company.id is not None
        added: list[str] = []
        for value, kind in wanted:
            key = normalize_name(value)
            if key not in owners and key not in added:
                session.add(CompanyAlias(company_id=company.id, alias=key, kind=kind))
                added.append(key)
        if parent_company is not None:
            company.parent_id = parent_company.id
            session.add(company)
        session.flush()
        return CompanyAdded(
            company.slug,
            company.name,
            created,
            tuple(added),
            parent_company.slug if parent_company else None,
        )


def _parent(session: Session, parent: str | None) -> Company | None:
    if parent is None or not parent.strip():
        return None
    found = find_company(session, parent)
    if found is None:
        raise CompanyEditError(
            f"no company called {parent!r} to be the parent: add it first, "
            "or see `campaigns companies list`"
        )
    return found


def _owners(session: Session, keys: Sequence[str]) -> dict[str, Company]:
    """The company each of these normalised names already belongs to."""
    rows = session.exec(
        select(CompanyAlias, Company)
        .join(Company, Company.id == CompanyAlias.company_id)  # type: ignore[arg-type]
        .where(CompanyAlias.alias.in_(list(keys)))  # type: ignore[attr-defined]
    ).all()
    return {alias.alias: company for alias, company in rows}


def list_companies(engine: Engine) -> list[dict[str, Any]]:
    """Every company in the store with its parent and the names it goes by, by slug."""
    with Session(engine) as session:
        registry = registry_from_store(session)
    return [
        {
            "slug": entry.slug,
            "name": entry.name,
            "parent": entry.parent_slug,
            "names": sorted([*entry.aliases, *entry.units, *entry.former_names]),
        }
        for entry in sorted(registry.entries.values(), key=lambda e: e.slug)
    ]
