"""The README documents every CLI command (in the style of sqlite-utils' test_docs)."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from campaigns.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(command: object, prefix: tuple[str, ...] = ()) -> list[str]:
    paths = []
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            paths += command_paths(sub, (*prefix, name))
    else:
        paths.append(" ".join(prefix))
    return paths


def test_every_cli_command_is_in_the_readme() -> None:
    paths = command_paths(get_command(app))
    assert "import campaigns" in paths and "db upgrade" in paths
    missing = [p for p in paths if f"campaigns {p}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    head = README[: README.index("## Commands")]
    assert "make run" in head and "make test" in head
    assert "docs/screenshot.png" in head


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for path in command_paths(get_command(app)):
        result = runner.invoke(app, [*path.split(), "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output
