"""Checking a job's `pip-requirements.txt` or a model's `dependencies` against what is installed.

Local ModelArts never downloads a package: a requirement that is not met is reported, and the
job or model fails with that report as its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

#: config.json `restraint` values and the version operator each one means.
RESTRAINT_OPERATORS = {"EXACT": "==", "ATLEAST": ">=", "ATMOST": "<="}


def unmet(requirements: Iterable[str]) -> list[str]:
    """Human-readable problems, one per requirement that the installed packages do not meet."""
    problems = []
    for line in requirements:
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            requirement = _parse(text)
        except (InvalidRequirement, InvalidWheelFilename):
            problems.append(f"{text!r} is not a requirement Local ModelArts understands")
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement.name} is not installed")
            continue
        if requirement.specifier and not requirement.specifier.contains(
            installed, prereleases=True
        ):
            problems.append(f"{requirement.name} {installed} is installed, {text} is required")
    return problems


def from_model_dependencies(dependencies: object) -> list[str]:
    """config.json `dependencies` as requirement strings; raises ValueError on a bad shape."""
    if not isinstance(dependencies, list):
        raise ValueError("dependencies must be a list")
    lines = []
    for group in dependencies:
        if not isinstance(group, dict) or group.get("installer", "pip") != "pip":
            raise ValueError("dependencies[].installer must be pip")
        for package in group.get("packages", []):
            if not isinstance(package, dict) or not package.get("package_name"):
                raise ValueError("dependencies[].packages[].package_name is required")
            version = package.get("package_version")
            if not version:
                lines.append(str(package["package_name"]))
                continue
            operator = RESTRAINT_OPERATORS.get(str(package.get("restraint", "EXACT")))
            if operator is None:
                raise ValueError(
                    "dependencies[].packages[].restraint must be EXACT, ATLEAST or ATMOST"
                )
            lines.append(f"{package['package_name']}{operator}{version}")
    return lines


def _parse(text: str) -> Requirement:
    if text.endswith(".whl"):
        name, version, _, _ = parse_wheel_filename(re.split(r"[\\/]", text)[-1])
        return Requirement(f"{name}=={version}")
    return Requirement(text)
