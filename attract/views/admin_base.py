"""What every admin settings view shares: administrators only, 403 for everyone else."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from attract.access import require_admin

View = Callable[..., HttpResponse]
INVALID = 422  # a re-rendered form with errors


def admin_view(view: View) -> View:
    """Sign-in required, then administrators only: the check runs before anything else."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        require_admin(request.user)
        return view(request, *args, **kwargs)

    return wrapped
