"""The shipped company registry file reads cleanly, and a hand edit that breaks it is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.registry import REGISTRY_PATH, load_registry

HEADER = "slug,name,parent_slug,aliases,units,former_names\n"


def test_the_shipped_registry_has_one_row_per_company() -> None:
    slugs = [line.split(",", 1)[0] for line in REGISTRY_PATH.read_text("utf-8").splitlines()[1:]]
    registry = load_registry()
    assert len(registry.entries) == len([s for s in slugs if s])
    # the rows that were written twice kept what each copy held
    assert registry.entries["vox-media"].units == ("SB Nation",)
    assert "Rockstar" in registry.entries["rockstar-games"].aliases


def test_a_slug_written_twice_is_an_error_naming_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(
        HEADER + "vox-media,Vox Media,,,SB Nation,\nacme,Acme,,,,\nvox-media,Vox Media,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"row 4: slug 'vox-media' is already on row 2"):
        load_registry(path)


def test_a_row_without_a_name_is_named(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(HEADER + "acme,,,,,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"companies.csv, row 2: slug and name are required"):
        load_registry(path)
