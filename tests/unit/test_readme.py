"""The README's settings table lists exactly the settings the gateway reads."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from gateway.settings import ProviderSettings, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def documented() -> set[str]:
    text = README.read_text()
    table = text.split("<!-- settings-table:start -->")[1].split(
        "<!-- settings-table:end -->"
    )[0]
    return set(re.findall(r"^\| `(GATEWAY_[A-Z0-9_<>]+)`", table, flags=re.M))


def variables(model: type[BaseModel], prefix: str) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if name == "providers" and model is Settings:
            names |= variables(ProviderSettings, f"{prefix}PROVIDERS__<SLUG>__")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= variables(annotation, f"{prefix}{name.upper()}__")
        else:
            names.add(f"{prefix}{name.upper()}")
    return names


def test_readme_settings_table_matches_settings_model() -> None:
    assert documented() == variables(Settings, "GATEWAY_")


def test_readme_quick_start_has_exactly_the_two_commands() -> None:
    quick = README.read_text().split("## Quick start")[1].split("```")[1]
    commands = [
        line.split("#")[0].strip() for line in quick.splitlines() if line.strip()
    ]
    assert commands == ["sh", "make run", "make test"]
