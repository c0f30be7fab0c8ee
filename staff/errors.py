"""The codes of the `staff` app's refusals: stable strings that clients match on.

Businesses, storefronts and the people who work there.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    ALREADY_STAFF = "already_staff"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_INPUT = "invalid_input"
    LAST_OWNER = "last_owner"
    MANAGER_REQUIRED = "manager_required"
    OWNER_REQUIRED = "owner_required"
    SELF_DEACTIVATION = "self_deactivation"
    STOREFRONT_BUSINESS_FIXED = "storefront_business_fixed"
    STOREFRONT_EXISTS = "storefront_exists"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_ROLE = "unknown_role"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"
