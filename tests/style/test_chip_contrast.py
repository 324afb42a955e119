"""Every status chip's text and background meet WCAG AA (4.5:1) in JupyterLab's light and dark
themes: the colours are read from the extension's style sheets and resolved with the themes'
own variables."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

STYLE = Path(__file__).resolve().parents[2] / "style"
THEMES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "themes" / "@jupyterlab"
#: The classes of chips: a base rule with the text colour, variants that change the background.
CHIP = re.compile(r"\.jp-ModelArts-(?:chip|statusChip|status)\b")
RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
VARIABLE = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]+?))?\s*\)")
WCAG_AA = 4.5


def theme_variables(theme: str) -> dict[str, str]:
    css = (THEMES / f"theme-{theme}-extension" / "index.css").read_text(encoding="utf-8")
    return dict(re.findall(r"(--jp-[\w-]+):([^;}]+)", css))


def resolve(value: str, variables: dict[str, str]) -> str:
    for _ in range(10):
        match = VARIABLE.search(value)
        if match is None:
            return value.strip()
        name, fallback = match.groups()
        found = variables.get(name, fallback)
        assert found is not None, f"{name} is defined by neither theme nor fallback"
        value = value[: match.start()] + found + value[match.end() :]
    raise AssertionError(f"unresolvable {value}")


def rgba(colour: str) -> tuple[float, float, float, float]:
    colour = colour.strip()
    if colour == "white":
        return (255, 255, 255, 1.0)
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return (*(int(digits[i : i + 2], 16) for i in (0, 2, 4)), 1.0)  # type: ignore[return-value]
    parts = [float(p) for p in re.findall(r"[\d.]+", colour)]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(text: str, background: str) -> float:
    *back, _ = rgba(background)
    *front, alpha = rgba(text)
    # Text with transparency is seen blended over its background.
    seen = [f * alpha + b * (1 - alpha) for f, b in zip(front, back, strict=True)]
    lighter, darker = sorted((luminance(tuple(seen)), luminance(tuple(back))), reverse=True)  # type: ignore[arg-type]
    return (lighter + 0.05) / (darker + 0.05)


def chip_rules() -> list[tuple[str, dict[str, str]]]:
    rules = []
    for sheet in sorted(STYLE.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for selectors, body in RULE.findall(text):
            declarations = dict(
                (name.strip(), value.strip())
                for name, _, value in (d.partition(":") for d in body.split(";") if ":" in d)
            )
            for selector in selectors.split(","):
                if CHIP.search(selector) and (
                    "background" in declarations or "color" in declarations
                ):
                    rules.append((selector.strip(), declarations))
    return rules


def chip_colours() -> list[tuple[str, str, str]]:
    """(selector, text colour, background) of every chip look, with the base rule's values
    where a variant leaves them."""
    rules = chip_rules()
    bases = {selector: values for selector, values in rules if re.fullmatch(r"\.[\w-]+", selector)}
    looks = []
    for selector, values in rules:
        base = bases.get(CHIP.search(selector).group(0), {})  # type: ignore[union-attr]
        text = values.get("color") or base.get("color")
        background = values.get("background") or base.get("background")
        assert text and background, f"{selector} has no text colour or background"
        looks.append((selector, text, background))
    return looks


def test_the_chip_rules_are_found():
    selectors = [selector for selector, _, _ in chip_colours()]
    assert ".jp-ModelArts-chip[data-status='succeeded']" in selectors
    assert ".jp-ModelArts-status-completed" in selectors
    assert ".jp-ModelArts-statusChip.jp-mod-running" in selectors


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_chip_colour_meets_wcag_aa_in_both_themes(theme):
    variables = theme_variables(theme)
    weak = []
    for selector, text, background in chip_colours():
        ratio = contrast(resolve(text, variables), resolve(background, variables))
        if ratio < WCAG_AA:
            weak.append(f"{selector}: {ratio:.2f}")
    assert not weak, f"chips below 4.5:1 in the {theme} theme: {weak}"
