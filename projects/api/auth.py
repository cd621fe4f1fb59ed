"""Who is calling the API: personal access tokens (`Authorization: Bearer <token>`) and
their read-only scope. Browser sessions are handled by DRF's SessionAuthentication (with
CSRF); token requests carry no cookie and need no CSRF token."""

from rest_framework import authentication, exceptions, permissions

from projects.models import ApiToken
from projects.services.access import api_token_for

BEARER = "bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Looks the presented secret up by its hash; expired, revoked or unknown → 401."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != BEARER.encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as `Authorization: Bearer <token>` (one value, no spaces)."
            )
        try:
            plain = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                "The token has characters a token never has."
            ) from None
        token = api_token_for(plain)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenScopePermission(permissions.BasePermission):
    """A read-only token may only read: any write with it is a 403."""

    message = "This token is read-only; create a token without the read-only scope to write."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True
