"""Who is acting, and from where: what every service records in the audit trail."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Actor:
    """The person (or command) behind a change.

    Services take an `Actor` instead of a request so that the API, the admin and
    management commands all call them the same way.
    """

    user: object | None
    name: str
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, name=display_name(user), ip_address=client_ip(request))

    @classmethod
    def for_user(cls, user) -> Actor:
        return cls(user=user, name=display_name(user))

    @classmethod
    def system(cls, name: str) -> Actor:
        """A management command or other process acting without a logged-in user."""
        return cls(user=None, name=name)

    @property
    def staff(self):
        return getattr(self.user, "staff_member", None) if self.user else None

    @property
    def is_owner(self) -> bool:
        """Commands run on the server, and superusers, carry the owner's rights too."""
        if self.user is None or self.user.is_superuser:
            return True
        staff = self.staff
        return bool(staff and staff.is_owner)

    @property
    def is_manager(self) -> bool:
        """Commands run on the server, and superusers (platform administrators), carry
        manager rights."""
        if self.user is None or self.user.is_superuser:
            return True
        staff = self.staff
        return bool(staff and staff.is_manager)


def display_name(user) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address.

    `X-Forwarded-For` is set by whoever sent the request, so it is only believed when the
    socket peer is one of `settings.TRUSTED_PROXIES`; then the right-most address that is
    not itself a trusted proxy is the client.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _valid_ip(hop)
        if address is None:
            return remote
        if address not in trusted:
            return address
    return remote
