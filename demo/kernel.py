"""The demo business that `seed_demo` and `./scripts/serve` load."""

from dataclasses import dataclass

from django.db import transaction
from rest_framework.authtoken.models import Token

from pos_project.actors import Actor
from pos_project.models import Business, Role, StaffMember, Storefront
from staff.services import business_create, business_update, staff_add, staff_admin_access_sync

DEMO_BUSINESS = "Pharmacie Atlas"
DEMO_ACCOUNTS = [
    # username, password, role, full name
    ("owner", "atlas-owner-2026", Role.OWNER, "Amina Benali"),
    ("manager", "atlas-manager-2026", Role.MANAGER, "Youssef Alaoui"),
    ("cashier", "atlas-cashier-2026", Role.CASHIER, "Salma Idrissi"),
]


@dataclass
class DemoBusiness:
    business: Business
    storefront: Storefront
    tokens: dict[str, str]
    created: bool


def seed_demo_business(language: str | None = None) -> DemoBusiness:
    """The demo business, its storefront "Main" and its three accounts. Safe to run twice.

    `language` (en, fr, ar or uz) is the business's language; None keeps what it has (English
    for a new one)."""
    actor = Actor.system("manage.py seed_demo")
    with transaction.atomic():
        business = Business.objects.filter(name=DEMO_BUSINESS).first()
        created = business is None
        if created:
            username, password, _, full_name = DEMO_ACCOUNTS[0]
            business = business_create(
                name=DEMO_BUSINESS,
                owner_username=username,
                owner_password=password,
                actor=actor,
                language=language or "en",
            )
            owner = StaffMember.objects.get(business=business, role=Role.OWNER).user
            owner.first_name, _, owner.last_name = full_name.partition(" ")
            owner.save(update_fields=["first_name", "last_name"])
        elif language and business.language != language:
            business.language = language
            business_update(business=business, actor=actor)
        existing = set(
            StaffMember.objects.filter(business=business).values_list("user__username", flat=True)
        )
        for username, password, role, full_name in DEMO_ACCOUNTS:
            if username not in existing:
                staff_add(
                    business=business,
                    username=username,
                    password=password,
                    role=role,
                    full_name=full_name,
                    actor=actor,
                )
        members = list(StaffMember.objects.filter(business=business).select_related("user"))
        users = {staff.user.username: staff.user for staff in members}
        # A demo database loaded before managers and owners got the admin gets it now.
        for staff in members:
            staff_admin_access_sync(user=staff.user, role=staff.role)
        tokens = {
            username: Token.objects.get_or_create(user=users[username])[0].key
            for username, *_ in DEMO_ACCOUNTS
        }
    storefront = Storefront.objects.get(business=business, name="Main")
    return DemoBusiness(business=business, storefront=storefront, tokens=tokens, created=created)
