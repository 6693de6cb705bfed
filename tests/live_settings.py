"""Settings for a server or worker started by a test in another process: the real settings (database from
DATABASE_URL, files under LIENHIEP_VAR_DIR), with plain static files (no collectstatic manifest) and mail kept in
memory."""

from lienhiep.settings import *  # noqa: F403
from lienhiep.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS = 0  # a test changes data and looks again at once
