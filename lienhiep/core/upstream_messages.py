"""Messages that Django 6.1 can show in our forms but whose Vietnamese translation Django does not ship yet.

Listing them here puts them in our catalogue (makemessages extracts them), so a user never meets English in a
Vietnamese form. Nothing imports this module; remove an entry once Django's catalogue carries it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
VALIDATION = [
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("Forbidden"),
    gettext_noop("- Select an option -"),
]
