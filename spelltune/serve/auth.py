"""Who is calling: every API route names its writer with a `CurrentWriter` (or LanguageTool's) parameter.

- On loopback with no writers configured, a call with no credentials is the built-in `local` writer
  (single-user mode, as before accounts).
- Otherwise a call needs a writer's token: `Authorization: Bearer <token>` for `/v1/*`; for `/v2/check`
  LanguageTool's own `username` + `apiKey` parameters (a Bearer header works there too).
- Credentials that are sent must be valid, whatever the mode: an unknown, malformed or revoked token is
  401; so is a `username` that is not the token's writer. One exception, for LanguageTool clients that
  send a languagetool.org key everywhere: in single-user mode an `apiKey` that is not a spelltune token
  is ignored.
- Each writer's requests are limited (rate_limit.py): past the limit, 429 with Retry-After. The local
  writer of single-user mode is not (it is one person on their own machine).
Tokens are never logged or echoed back; errors say what is missing, never what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Optional

from fastapi import Depends, Form, Request

from spelltune.serve.server_state import ServerState
from spelltune.serve.store.accounts import LOCAL_WRITER, accounts_configured, local_writer, writer_for_token
from spelltune.serve.store.tokens import token_prefix

SIGN_IN = "sign in: send the header `Authorization: Bearer <token>` (`spelltune writers add NAME` makes a token)"
SIGN_IN_LANGUAGETOOL = ("sign in: send your writer name as `username` and your token as `apiKey` "
                        "(`spelltune writers add NAME` makes a token)")
BAD_TOKEN = "unknown or revoked token"


@dataclass(frozen=True)
class Caller:
    """The writer a request acts for; `local` is the built-in single-user writer."""

    writer_id: int
    name: str
    local: bool = False


class NotAuthenticated(Exception):
    """No valid credentials where they are needed: the request gets 401."""


class RateLimited(Exception):
    """The writer spent their requests: 429, retry after `retry_after` seconds."""

    def __init__(self, retry_after: float):
        super().__init__(f"too many requests; retry in {retry_after:.1f} s")
        self.retry_after = retry_after


def accounts_required(server: ServerState) -> bool:
    """Whether a call needs a token: off loopback always, on loopback once a writer is configured."""
    return not server.settings.loopback or accounts_configured(server.store)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization` header ("" for a header that is not `Bearer <token>`); None without one."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def identify(server: ServerState, token: str | None, username: str | None = None) -> Caller | None:
    """The writer `token` (and `username`, if given) name; the local writer in single-user mode; None for nobody
    (where the call is allowed without a writer). NotAuthenticated for credentials that are sent but wrong."""
    if token is not None:
        writer = writer_for_token(server.store, token) if token else None
        if writer is None or (username is not None and username.strip().lower() != writer.name):
            raise NotAuthenticated(BAD_TOKEN)
        return Caller(writer.id, writer.name)
    if accounts_required(server):
        return None
    return Caller(local_writer(server.store).id, LOCAL_WRITER, local=True)


def _writer(server: ServerState, token: str | None, username: str | None = None, sign_in: str = SIGN_IN) -> Caller:
    caller = identify(server, token, username)
    if caller is None:
        raise NotAuthenticated(sign_in)
    wait = 0.0 if caller.local else server.limiter.take(caller.writer_id)  # one person's own machine: no limit
    if wait > 0:
        raise RateLimited(wait)
    return caller


def current_writer(request: Request) -> Caller:
    """The FastAPI dependency of `/v1/*`: the writer of the Bearer token (or the local writer)."""
    return _writer(request.app.state.server, bearer_token(request))


def _languagetool_writer(request: Request, username: str | None, api_key: str | None) -> Caller:
    server = request.app.state.server
    if not api_key or (token_prefix(api_key) is None and not accounts_required(server)):
        # Empty fields, or a key that is not a spelltune token (a languagetool.org premium key some clients
        # send to every server) where no sign-in is needed: not ours to judge, as if not sent.
        api_key = None
    token = api_key if api_key is not None else bearer_token(request)
    return _writer(server, token, username if api_key is not None else None, SIGN_IN_LANGUAGETOOL)


def languagetool_writer_form(request: Request, username: Annotated[Optional[str], Form()] = None,
                             apiKey: Annotated[Optional[str], Form()] = None) -> Caller:  # noqa: N803 - LanguageTool's name
    """The dependency of `POST /v2/check`: LanguageTool's `username` + `apiKey` (form, else query string)."""
    return _languagetool_writer(request, username if username is not None else request.query_params.get("username"),
                                apiKey if apiKey is not None else request.query_params.get("apiKey"))


def languagetool_writer_query(request: Request, username: Optional[str] = None,
                              apiKey: Optional[str] = None) -> Caller:  # noqa: N803 - LanguageTool's name
    """The dependency of `GET /v2/check`: LanguageTool's `username` + `apiKey` query parameters."""
    return _languagetool_writer(request, username, apiKey)


# A route parameter of one of these types is the writer the request acts for.
CurrentWriter = Annotated[Caller, Depends(current_writer)]
LanguageToolWriter = Annotated[Caller, Depends(languagetool_writer_form)]
LanguageToolQueryWriter = Annotated[Caller, Depends(languagetool_writer_query)]
