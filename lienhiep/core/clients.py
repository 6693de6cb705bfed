"""The client's address, the one every per-visitor count uses: the sign-in lock-out (django-axes, and allauth's
rate limits), the certificate check's rate limit, the news view count, axes' log of sign-ins.

Behind a reverse proxy every request comes from the proxy's address (REMOTE_ADDR). The proxy says who the client
is in X-Forwarded-For, which anyone can also send: the header is believed only when the request comes from an
address listed in LIENHIEP_TRUSTED_PROXIES (addresses or CIDR networks), and then only as far as it was written
by trusted proxies. The client is the right-most address of the header that is not itself a trusted proxy (a
proxy appends the address it saw to whatever the client sent, so everything left of that is the client's claim).
"""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """'10.0.0.5', '10.0.0.0/24', '2001:db8::/32' → networks; raises ValueError naming a malformed entry."""
    networks = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"not an IP address or network: {entry!r}") from error
    return tuple(networks)


@functools.lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def _address(text: str) -> Address | None:
    """An address as a header or the server writes it ('1.2.3.4', '::1', '[::1]', '1.2.3.4:5678'), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [IPv6] or [IPv6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request ('' if the server gave none).

    REMOTE_ADDR, unless it is a trusted proxy: then the right-most address of X-Forwarded-For that is not a
    trusted proxy (the left-most one if all are). A header from any other sender is ignored."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    networks = _trusted(tuple(settings.LIENHIEP_TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # a hop no proxy of ours wrote: the client cannot be told, keep the last known
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
