"""Onboarding: businesses, storefronts and staff accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from pos_project.actors import Actor
from pos_project.exceptions import DomainError
from pos_project.models import Business, Role, StaffMember, Storefront


def _validated(instance):
    try:
        instance.full_clean()
    except ValidationError as exc:
        messages = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
        )
        raise DomainError("Invalid input", messages, code="invalid_input") from exc
    return instance


def staff_add(
    *,
    business: Business,
    username: str,
    password: str,
    role: str,
    actor: Actor,
    full_name: str = "",
) -> StaffMember:
    """Create a login that works for `business` with `role`."""
    if role not in Role.values:
        raise DomainError(
            "Unknown role", f"Role must be one of {', '.join(Role.values)}.", code="unknown_role"
        )
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(
            "Username taken", f"A user named {username!r} already exists.", code="username_taken"
        )
    first_name, _, last_name = full_name.partition(" ")
    user = user_model(username=username, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("Weak password", " ".join(exc.messages), code="weak_password") from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        staff = StaffMember.objects.create(user=user, business=business, role=role)
        audit_record(
            business=business,
            actor=actor,
            event_type="staff.added",
            description=f"{username} added as {staff.get_role_display()}",
            event_data={"username": username, "role": role},
        )
    return staff


def storefront_create(
    *, business: Business, name: str, actor: Actor, address: str = ""
) -> Storefront:
    with transaction.atomic():
        if Storefront.objects.filter(business=business, name=name).exists():
            raise DomainError(
                "Storefront exists",
                f"{business} already has a storefront named {name!r}.",
                code="storefront_exists",
            )
        storefront = _validated(Storefront(business=business, name=name, address=address))
        storefront.save()
        audit_record(
            business=business,
            actor=actor,
            event_type="storefront.created",
            description=f"Storefront {name} created",
            event_data={"storefront_id": storefront.id, "name": name},
        )
    return storefront


def business_create(
    *,
    name: str,
    owner_username: str,
    owner_password: str,
    actor: Actor,
    currency_code: str = "MAD",
    default_region: str = "MA",
    time_zone: str = "Africa/Casablanca",
    storefront_name: str = "Main",
) -> Business:
    """Onboard a shop: the business, its first storefront and its owner, or nothing at all."""
    currency_code = currency_code.upper()
    if len(currency_code) != 3 or not currency_code.isalpha():
        raise DomainError(
            "Invalid currency", "Use a 3-letter ISO 4217 code such as MAD.", code="invalid_currency"
        )
    with transaction.atomic():
        business = _validated(
            Business(
                name=name.strip(),
                currency_code=currency_code,
                default_region=default_region.upper(),
                time_zone=time_zone,
            )
        )
        business.save()
        audit_record(
            business=business,
            actor=actor,
            event_type="business.created",
            description=f"Business {business.name} created",
            event_data={
                "name": business.name,
                "currency_code": business.currency_code,
                "default_region": business.default_region,
                "time_zone": business.time_zone,
            },
        )
        storefront_create(business=business, name=storefront_name, actor=actor)
        staff_add(
            business=business,
            username=owner_username,
            password=owner_password,
            role=Role.OWNER,
            actor=actor,
        )
    return business
