"""The IMS token endpoint and the API gateway's header checks."""

import secrets
import time

from .errors import ApiError, GatewayError


class Gateway:
    def __init__(self, store, clients, token_ttl):
        self.store = store
        self.clients = dict(clients)  # client_id -> client_secret
        self.token_ttl = token_ttl

    def issue_token(self, form):
        """IMS /ims/token/v3 with client credentials: (status, body)."""
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type",
                         "error_description": "grant_type must be client_credentials"}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if not client_id or not secret:
            return 400, {"error": "invalid_request",
                         "error_description": "client_id and client_secret are required"}
        if client_id not in self.clients or not secrets.compare_digest(
                self.clients[client_id].encode(), secret.encode()):
            return 400, {"error": "invalid_client", "error_description": "invalid client credentials"}
        token = secrets.token_urlsafe(48)
        self.store.add_token(token, client_id, time.time() + self.token_ttl)
        return 200, {"access_token": token, "token_type": "bearer", "expires_in": self.token_ttl}

    def check(self, headers):
        """The gateway's checks, in its order; returns (client_id, org, sandbox)."""
        scheme, _, token = headers.get("Authorization", "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise GatewayError(403, "403010", "Oauth token is missing.")
        row = self.store.token(token)
        if row is None or row[2] or row[1] <= time.time():
            raise GatewayError(401, "401013", "Oauth token is not valid")
        client_id = row[0]
        api_key = headers.get("x-api-key", "").strip()
        if not api_key:
            raise GatewayError(403, "403000", "Api Key is required")
        if api_key != client_id:
            raise GatewayError(403, "403003", "Api Key is invalid")
        org = headers.get("x-gw-ims-org-id", "").strip()
        if not org:
            raise GatewayError(400, "400003", "Missing x-gw-ims-org-id header")
        sandbox = headers.get("x-sandbox-name", "").strip()
        if not sandbox:
            # The page names no gateway code for this one, so it is a problem document.
            raise ApiError(400, "missing-sandbox", "Bad Request", "Missing x-sandbox-name header")
        return client_id, org, sandbox
