"""Which endpoints a user's profile may send its secret to.

A profile's secret goes to its endpoints with every call: they must be https (plain http only to
this machine's loopback, Local ModelArts and tests), never a link-local address (cloud metadata
services answer there), and, when the administrator restricts them
(``c.ModelArtsExtension.allowed_endpoint_hosts``), one of the allowed host patterns.
"""

from __future__ import annotations

import fnmatch
import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost"})

#: Why a URL may not be an endpoint, in English, by the reason the front end words.
ENDPOINT_PROBLEMS = {
    "not_a_url": "is not a URL",
    "no_host": "has no host",
    "not_https": "must be https (plain http only to this machine)",
    "link_local": "must not be a link-local address",
    "host_not_allowed": "is not among the hosts the administrator allows",
}


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    address = _address(host)
    return host.lower() in LOOPBACK_NAMES or (address is not None and address.is_loopback)


def endpoint_problem(url: str, allowed_hosts: Sequence[str]) -> str | None:
    """Why ``url`` may not be a profile's endpoint (a key of :data:`ENDPOINT_PROBLEMS`), or
    None."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "not_a_url"
    if not host:
        return "no_host"
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(host)):
        return "not_https"
    address = _address(host)
    if address is not None and address.is_link_local:
        return "link_local"
    if allowed_hosts and not is_loopback(host):
        if not any(fnmatch.fnmatchcase(host, pattern.lower()) for pattern in allowed_hosts):
            return "host_not_allowed"
    return None
