"""The SSRF guard: unattended fetches go to public internet addresses only.

A feed is written by a stranger, and so is every redirect: an entry linking to
``http://169.254.169.254/`` (a cloud metadata service), ``http://127.0.0.1:5432/`` or a host
name that resolves into the local network would otherwise make tracker probe the machine
and network it runs on. Each URL's host, an IP literal or every address a name resolves to,
is checked before the request; any address that is not public refuses the whole request.

The check is best-effort: the connection resolves the name again, and a DNS answer can
change in between (DNS rebinding). See docs/design.md.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from tracker.errors import FetchError

ENV_ALLOW = "TRACKER_ALLOW_PRIVATE_URLS"
HINT = "(set [fetch] allow_private = true to allow)"
_TRUE = {"1", "true", "yes", "on"}
_METADATA = ipaddress.ip_address("169.254.169.254")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def allowed_by_env() -> bool:
    """Whether ``TRACKER_ALLOW_PRIVATE_URLS`` opts in to non-public addresses (1, true, yes)."""
    return os.environ.get(ENV_ALLOW, "").strip().lower() in _TRUE


def non_public_reason(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address ("a loopback address"), or None.

    An IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) is judged by the IPv4 address it
    carries: a dual-stack socket connects to exactly that.
    """
    ip: IPAddress = address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return (
            "a link-local address (the cloud metadata service)"
            if ip == _METADATA
            else "a link-local address"
        )
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global:
        # 100.64.0.0/10 (carrier-grade NAT) is neither private nor global; cloud providers
        # put services there (Alibaba's metadata service is 100.100.100.200).
        return "a shared or special-purpose address"
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, as the connection would see them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # An IPv6 link-local answer carries its zone ("fe80::1%eth0"); the zone says nothing
        # about the kind of address.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def check_public(url: str) -> None:
    """Raise ``FetchError`` unless ``url``'s host is, or resolves only to, public addresses.

    ``url`` has passed ``check_url`` (http or https, with a host). A name that does not
    resolve is a transient error, like a failed connection.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = _literal(host.split("%", 1)[0])
    if literal is not None:
        reason = non_public_reason(literal)
        if reason is not None:
            raise FetchError(f"{url}: refused: {host} is {reason} {HINT}")
        return
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(f"{url}: not a valid port in the URL") from None
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise FetchError(f"{url}: cannot resolve {host} ({detail})", transient=True) from None
    for address in addresses:
        reason = non_public_reason(address)
        if reason is not None:
            raise FetchError(f"{url}: refused: {host} resolves to {address}, {reason} {HINT}")
