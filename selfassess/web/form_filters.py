"""WTForms filters shared by every area's forms."""


def strip_text(value):
    """Trim spaces people paste around what they type."""
    return value.strip() if isinstance(value, str) else value


def upper_code(value):
    """Codes are compared upper-case, whatever case they were typed in."""
    return value.strip().upper() if isinstance(value, str) else value
