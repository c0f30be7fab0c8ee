"""Onboarding: businesses, storefronts and staff accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Forbidden, Invalid
from pos_project.languages import LANGUAGE_CODES, in_english
from pos_project.models import Business, Role, StaffMember, Storefront
from staff.errors import ErrorCode
from staff.locks import business_lock, staff_member_lock, storefront_lock
from staff.rights import last_owner_check, staff_manage_check


def _known_role(role: str) -> None:
    if role not in Role.values:
        raise Invalid(
            "Unknown role",
            _("Role must be one of %(roles)s.") % {"roles": ", ".join(Role.values)},
            code=ErrorCode.UNKNOWN_ROLE,
        )


def _validated(instance):
    try:
        instance.full_clean()
    except ValidationError as exc:
        messages = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
        )
        raise Invalid("Invalid input", messages, code=ErrorCode.INVALID_INPUT) from exc
    return instance


def staff_password_check(*, password: str, user) -> None:
    """Refuse a password Django's validators (length, common, like the name) reject."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(
            "Weak password", " ".join(exc.messages), code=ErrorCode.WEAK_PASSWORD
        ) from exc


def staff_admin_access_sync(*, user, role: str | None) -> None:
    """Give the login the admin (Django's `is_staff`) exactly when its role runs the shop.

    Managers and owners work in the back office; cashiers work at the till through the API
    and are refused at the admin login, as is a login removed from staff (`role` None).
    Superusers are platform administrators and keep the admin whatever their role.
    """
    allowed = user.is_superuser or role in (Role.OWNER, Role.MANAGER)
    if user.is_staff != allowed:
        user.is_staff = allowed
        user.save(update_fields=["is_staff"])


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
    _known_role(role)
    staff_manage_check(actor=actor, business=business, roles=(role,))
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise Invalid(
            "Username taken",
            _("A user named %(username)s already exists.") % {"username": isolate(username)},
            code=ErrorCode.USERNAME_TAKEN,
        )
    first_name, _space, last_name = full_name.partition(" ")
    user = user_model(username=username, first_name=first_name, last_name=last_name)
    staff_password_check(password=password, user=user)
    with transaction.atomic():
        user.set_password(password)
        user.is_staff = role in (Role.OWNER, Role.MANAGER)
        user.save()
        staff = StaffMember.objects.create(user=user, business=business, role=role)
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.STAFF_ADDED,
            description=f"{username} added as {in_english(staff.get_role_display())}",
            event_data={"username": username, "role": role},
        )
    return staff


def storefront_create(
    *, business: Business, name: str, actor: Actor, address: str = ""
) -> Storefront:
    with transaction.atomic():
        if Storefront.objects.filter(business=business, name=name).exists():
            raise Invalid(
                "Storefront exists",
                _("%(business)s already has a storefront named %(name)s.")
                % {"business": isolate(business), "name": isolate(name)},
                code=ErrorCode.STOREFRONT_EXISTS,
            )
        storefront = _validated(Storefront(business=business, name=name, address=address))
        storefront.save()
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.STOREFRONT_CREATED,
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
    cash_control: bool = False,
    language: str = "en",
) -> Business:
    """Onboard a shop: the business, its first storefront and its owner, or nothing at all.

    `cash_control`: cash is taken and given back only through an open till session."""
    currency_code = currency_code.upper()
    if len(currency_code) != 3 or not currency_code.isalpha():
        raise Invalid(
            "Invalid currency",
            _("Use a 3-letter ISO 4217 code such as MAD."),
            code=ErrorCode.INVALID_CURRENCY,
        )
    with transaction.atomic():
        business = _validated(
            Business(
                name=name.strip(),
                currency_code=currency_code,
                default_region=default_region.upper(),
                time_zone=time_zone,
                language=language,
                cash_control=cash_control,
            )
        )
        business.save()
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.BUSINESS_CREATED,
            description=f"Business {business.name} created",
            event_data={
                "name": business.name,
                "currency_code": business.currency_code,
                "default_region": business.default_region,
                "time_zone": business.time_zone,
                "language": business.language,
                "cash_control": business.cash_control,
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


def _changes(saved, edited, fields: list[str]) -> dict:
    """Old and new value of each of `fields` that differs between the two instances."""
    return audit_changes(
        {field: getattr(saved, field) for field in fields},
        {field: getattr(edited, field) for field in fields},
    )


BUSINESS_EDITABLE_FIELDS = [
    "name",
    "currency_code",
    "default_region",
    "time_zone",
    "language",
    "cashiers_take_deposits",
    "cash_control",
]
STOREFRONT_EDITABLE_FIELDS = ["name", "address", "is_active"]


def business_update(*, business: Business, actor: Actor) -> Business:
    """Save the edited `business`, recording what changed. The owner's decision alone."""
    if not actor.is_owner:
        raise Forbidden(
            "Permission denied",
            _("Only the owner may change the business's settings."),
            code=ErrorCode.OWNER_REQUIRED,
        )
    with transaction.atomic():
        saved = business_lock(business)
        _validated(business)
        changes = _changes(saved, business, BUSINESS_EDITABLE_FIELDS)
        business.save()
        if changes:
            audit_record(
                business=business,
                actor=actor,
                event_type=AuditEvent.BUSINESS_UPDATED,
                description=f"Business {business.name} updated: {', '.join(changes)}",
                event_data={"changes": changes},
            )
    return business


def storefront_update(*, storefront: Storefront, actor: Actor) -> Storefront:
    """Save the edited `storefront` (name, address, open or closed), recording what changed."""
    with transaction.atomic():
        saved = storefront_lock(storefront)
        if saved.business_id != storefront.business_id:
            raise Invalid(
                "Storefront cannot move",
                _("A storefront keeps its business; create one in the other business instead."),
                code=ErrorCode.STOREFRONT_BUSINESS_FIXED,
            )
        _validated(storefront)
        changes = _changes(saved, storefront, STOREFRONT_EDITABLE_FIELDS)
        storefront.save()
        if changes:
            audit_record(
                business=storefront.business,
                actor=actor,
                event_type=AuditEvent.STOREFRONT_UPDATED,
                description=f"Storefront {storefront.name} updated: {', '.join(changes)}",
                event_data={"storefront_id": storefront.id, "changes": changes},
            )
    return storefront


def storefront_delete(*, storefront: Storefront, actor: Actor) -> None:
    """Remove a storefront that nothing refers to yet (sales and stock protect it)."""
    with transaction.atomic():
        business = storefront.business
        storefront_id, name = storefront.id, storefront.name
        storefront.delete()
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.STOREFRONT_DELETED,
            description=f"Storefront {name} deleted",
            event_data={"storefront_id": storefront_id, "name": name},
        )


def staff_change_role(*, staff: StaffMember, role: str, actor: Actor) -> StaffMember:
    """Give a staff member another role, recording the old and the new.

    The owner gives any role, a manager moves cashiers only, and the last owner stays one.
    """
    _known_role(role)
    with transaction.atomic():
        saved = staff_member_lock(staff)
        old_role = saved.role
        staff_manage_check(actor=actor, business=saved.business, roles=(old_role, role))
        if role != Role.OWNER:
            last_owner_check(staff=saved, action="given another role")
        staff.role = role
        # Before the early return too, so saving a role unchanged repairs an older account.
        staff_admin_access_sync(user=staff.user, role=role)
        if old_role == role:
            return staff
        staff.save(update_fields=["role", "updated_at"])
        username = staff.user.get_username()
        audit_record(
            business=staff.business,
            actor=actor,
            event_type=AuditEvent.STAFF_ROLE_CHANGED,
            description=(
                f"{username} changed from {in_english(Role(old_role).label)} to "
                f"{in_english(Role(role).label)}"
            ),
            event_data={
                "username": username,
                "changes": audit_changes({"role": old_role}, {"role": role}),
            },
        )
    return staff


def staff_set_language(*, staff: StaffMember, language: str, actor: Actor) -> StaffMember:
    """Set the language `staff` reads in ("": their business's). Anyone may choose their
    own (the back office's switcher); someone else's is set by whoever manages them.

    A reading preference grants and moves nothing, so it leaves no audit entry."""
    if language and language not in LANGUAGE_CODES:
        raise Invalid(
            "Unknown language",
            _("Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGE_CODES)},
            code=ErrorCode.UNKNOWN_LANGUAGE,
        )
    with transaction.atomic():
        saved = staff_member_lock(staff)
        if actor.user is None or actor.user.pk != saved.user_id:
            staff_manage_check(actor=actor, business=saved.business, roles=(saved.role,))
        staff.language = language
        if saved.language != language:
            staff.save(update_fields=["language", "updated_at"])
    return staff


def staff_remove(*, staff: StaffMember, actor: Actor) -> None:
    """Stop a login working for its business; the login itself is kept."""
    with transaction.atomic():
        saved = staff_member_lock(staff)
        staff_manage_check(actor=actor, business=saved.business, roles=(saved.role,))
        last_owner_check(staff=saved, action="removed")
        business, username, role = staff.business, staff.user.get_username(), staff.role
        staff.delete()
        staff_admin_access_sync(user=staff.user, role=None)
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.STAFF_REMOVED,
            description=f"{username} ({in_english(Role(role).label)}) removed from staff",
            event_data={"username": username, "role": role},
        )
