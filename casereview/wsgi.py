import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
application = get_wsgi_application()

# Load the PDF renderer when a web worker starts, not on someone's first letter download (BENCHMARKS.md,
# "Documents"): about a second here, instead of 1-2 s added to that download.
from casereview.lib.pdf import warm_up  # noqa: E402

warm_up()
