"""CLI wrapper for `spelltune serve`: open the database, load one corrector (writers' own models load when first
used, with the same settings), then run the HTTP API and editor with uvicorn. Off loopback it refuses to start until writers (accounts) exist: one shared dictionary is
never exposed to a network."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from spelltune.models.presets import DEFAULT_MODEL_SPEC


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port_free(host: str, port: int) -> None:
    """InputError when `host:port` cannot be listened on (in use, or not an address of this machine)."""
    import socket

    from spelltune.errors import InputError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as error:
            hint = "; choose another with --port" if error.errno in (98, 48, 10048) else ""
            raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}{hint}") from None


def serve_command(
    model: Annotated[str, typer.Option(help="Model spec (see `spelltune models`) or a classic corrector such as symspell.")] = DEFAULT_MODEL_SPEC,
    engine: Annotated[Optional[str], typer.Option(help="Inference engine: auto, torch, ctranslate2, ... (see `spelltune engines`).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Corrector settings YAML (see configs/correct/default.yaml).")] = None,
    overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Override one corrector setting: key=value.")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback exposes your text to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (LanguageTool's browser extension expects 8081 for 'local server').")] = 8080,
    database: Annotated[Optional[str], typer.Option("--database", envvar="SPELLTUNE_DATABASE_URL", help="Where writers and their data live: a database URL (default: SQLite in the user data dir; postgresql://user:pass@host/db lets several replicas share it).")] = None,
    dictionary: Annotated[Optional[Path], typer.Option(help="Single-user dictionary file, imported into the database and kept as a copy of it (default: in the user data dir, or $SPELLTUNE_DATA_DIR).")] = None,
    feedback: Annotated[Optional[Path], typer.Option(help="Single-user feedback log (JSONL), imported once and appended to (default: beside the dictionary).")] = None,
    rate_limit: Annotated[float, typer.Option(min=0, help="Requests per minute per writer, per server process (0: no limit); past it 429 with Retry-After.")] = 600.0,
    rate_burst: Annotated[int, typer.Option(min=1, help="Requests a writer may make at once before the per-minute limit applies.")] = 120,
    max_body_kb: Annotated[int, typer.Option(min=1, help="Largest request body in KB; larger ones get 413.")] = 64,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds one request may take; then 504.")] = 120.0,
    queue: Annotated[int, typer.Option(min=1, help="Requests that may wait for the model; past it 503 with Retry-After.")] = 128,
    max_writer_models: Annotated[int, typer.Option(min=0, help="Writers' own models (kept by `spelltune adapt --writer`) loaded at once, each another copy of the weights; the one used least recently makes way (0: every writer gets --model).")] = 2,
) -> None:
    """Serve the corrector over HTTP: a web editor at /, its API, and a LanguageTool-compatible /v2/check."""
    from spelltune.cli_support import quiet_libraries
    from spelltune.correct.config import load_corrector_config
    from spelltune.errors import InputError

    try:
        import uvicorn

        from spelltune.serve.app import ServeSettings, create_app
    except ModuleNotFoundError as missing:
        raise InputError(f"`spelltune serve` needs {missing.name}: pip install 'spelltune[serve]'") from None
    from functools import partial

    from spelltune.correct.load import forget_loaded_model, load_corrector
    from spelltune.serve.app import prepare_store
    from spelltune.serve.personal import default_dictionary_path, default_feedback_path
    from spelltune.serve.store.accounts import accounts_configured

    settings = load_corrector_config(config, overrides or [])
    loopback = is_loopback(host)
    serve_settings = ServeSettings(
        model=model, max_body_bytes=max_body_kb * 1024, request_timeout=timeout, max_queue=queue,
        database_url=database, loopback=loopback, rate_limit=rate_limit, rate_burst=rate_burst,
        max_writer_models=max_writer_models,
        dictionary_path=dictionary or default_dictionary_path(), feedback_path=feedback or default_feedback_path(),
    )
    check_port_free(host, port)
    store, imported = prepare_store(serve_settings)
    if imported.summary():
        print(imported.summary(), file=sys.stderr)
    accounts = accounts_configured(store)
    if not loopback and not accounts:
        store.close()
        shown = f" --database '{database}'" if database else ""
        raise InputError(f"refusing to listen on {host} with no writers: anyone on the network could read and change "
                         f"one shared dictionary. Add writers first (`spelltune writers add NAME{shown}`), or listen "
                         "on 127.0.0.1")
    if not loopback:
        print(f"warning: listening on {host}: text and tokens cross the network unencrypted unless a TLS proxy "
              "is in front", file=sys.stderr)
    print(f"database {store.url}: " + ("writers sign in with their tokens" if accounts else
                                       "single-user mode (no sign-in on loopback until a writer is added)"),
          file=sys.stderr)
    quiet_libraries()
    print(f"loading model {model}…", file=sys.stderr, flush=True)
    try:
        corrector = load_corrector(model, settings, engine=engine)
    except BaseException:
        store.close()
        raise
    # A writer's own model is loaded as the server's was: the same corrector settings and engine.
    app = create_app(corrector, serve_settings, store=store, release_model=forget_loaded_model,
                     load_model=partial(load_corrector, config=settings, engine=engine))
    shown_host = f"[{host}]" if ":" in host else host
    print(f"spelltune serve: editor at http://{shown_host}:{port}/  API docs at http://{shown_host}:{port}/docs  "
          f"(LanguageTool API: http://{shown_host}:{port}/v2)", file=sys.stderr, flush=True)
    # No access log: a GET /v2/check carries LanguageTool's apiKey in its URL.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    """Mount `spelltune serve` on the main CLI."""
    app.command("serve")(serve_command)
