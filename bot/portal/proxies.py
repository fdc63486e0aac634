"""The client's address: the TCP peer, or X-Forwarded-For only from TRUSTED_PROXIES.

Done in the app (not by uvicorn's --proxy-headers) so every way of serving it, tests
included, believes the same peers. Anyone can send the header; it is read only when
the peer is a proxy we named, from the right (each proxy appends the address it saw),
and only a well-formed IP address is taken: the consent record stores it.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable, Optional

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(trusted: Iterable[str]) -> tuple[Network, ...]:
    """'10.0.0.5', '10.0.0.0/8', '::1' -> networks; anything else is a setup error."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in trusted)


def _ip(text: str) -> Optional[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, trusted: tuple[Network, ...]) -> bool:
    return address is not None and any(address in net for net in trusted)


def trusted_peer(peer: Optional[str], trusted: tuple[Network, ...]) -> bool:
    """Whether the TCP peer is one of our proxies (whose X-Forwarded-* we believe)."""
    return _trusted(_ip(peer or ""), trusted)


def client_host(peer: Optional[str], forwarded_for: list[str],
                trusted: tuple[Network, ...]) -> Optional[str]:
    """The address to believe for one request."""
    address = _ip(peer or "")
    if not forwarded_for or not _trusted(address, trusted):
        return peer
    hops = [h for value in forwarded_for for h in value.split(",")]
    for hop in reversed(hops):
        hop_ip = _ip(hop)
        if hop_ip is None:
            return str(address)  # garbage past our proxies: the last proxy we trust
        address = hop_ip
        if not _trusted(hop_ip, trusted):
            break
    return str(address)


class TrustedProxies:
    """Pure ASGI: rewrites scope['client'] before any route sees it."""

    def __init__(self, app, trusted: Iterable[str]):
        self.app, self.trusted = app, networks(trusted)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            peer = scope.get("client")
            forwarded = [v.decode("latin-1") for k, v in scope.get("headers", [])
                         if k == b"x-forwarded-for"]
            host = client_host(peer[0] if peer else None, forwarded, self.trusted)
            if peer and host != peer[0]:
                scope = {**scope, "client": (host, 0)}
        await self.app(scope, receive, send)
