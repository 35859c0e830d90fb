import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")
django_application = get_wsgi_application()

# The LinkedIn feed's fast path sits in front of Django (linkedin/feed_wsgi.py).
from linkedin.feed_wsgi import FeedApp  # noqa: E402 - needs the apps loaded above

application = FeedApp(django_application)
