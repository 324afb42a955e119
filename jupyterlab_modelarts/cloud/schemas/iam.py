"""IAM: password tokens (Keystone v3, 004 §3.2) and project lookup (004 §10.3)."""

from __future__ import annotations

from typing import Any

from .base import ApiModel


class TokenBody(ApiModel):
    expires_at: str
    issued_at: str | None = None
    methods: list[str] = []
    project: dict[str, Any] | None = None
    user: dict[str, Any] | None = None
    catalog: list[dict[str, Any]] | None = None


class TokenDocument(ApiModel):
    token: TokenBody


class Project(ApiModel):
    id: str
    name: str | None = None
    domain_id: str | None = None
    enabled: bool | None = None
    description: str | None = None


class ProjectList(ApiModel):
    projects: list[Project] = []
