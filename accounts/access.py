"""Who may see what, for accounts: role checks used by every app's views."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.models import Role, User


def has_any_role(user: User, *roles: str) -> bool:
    """True when the signed-in, active user holds at least one of the given roles."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_role(role) for role in roles)


def role_required(*roles: str) -> Callable:
    """View decorator: sign-in first (redirect), then 403 for people without one of the roles."""
    for role in roles:
        Role(role)  # fail at import time on a misspelt role

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_any_role(request.user, *roles):
                names = f" {_('or')} ".join(str(Role(role).label).lower() for role in roles)
                raise PermissionDenied(_("Only a %(roles)s may open this page.") % {"roles": names})
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
