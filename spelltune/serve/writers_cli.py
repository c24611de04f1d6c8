"""`spelltune writers add|list|revoke|token|model|export|erase`: the accounts of a `spelltune serve` database.

Each command is a thin wrapper over spelltune.serve.store.accounts / writer_data. A token is printed once,
alone on stdout (for scripts); only its hash is stored.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

DatabaseOption = Annotated[Optional[str], typer.Option(
    "--database", envvar="SPELLTUNE_DATABASE_URL",
    help="Database URL (default: SQLite in the user data dir; postgresql://user:pass@host/db for replicas).")]

SERVER_MODEL = "server model"  # what `list` and `model` show for a writer corrected by the server's own model

app = typer.Typer(name="writers", no_args_is_help=True, add_completion=False,
                  help="Writers (accounts) of `spelltune serve`: each has a token, a dictionary and feedback of their own.")


def _store(database: str | None):
    from spelltune.errors import InputError

    try:
        from spelltune.serve.store import open_store
    except ModuleNotFoundError as missing:
        raise InputError(f"`spelltune writers` needs {missing.name}: pip install 'spelltune[serve]'") from None
    return open_store(database)


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@app.command("add")
def add_command(name: Annotated[str, typer.Argument(help="The writer's name (letters, digits, . _ @ + -).")],
                database: DatabaseOption = None) -> None:
    """Add a writer and print their token (shown this once: keep it; only its hash is stored)."""
    from spelltune.serve.store.accounts import add_writer

    store = _store(database)
    try:
        writer, token = add_writer(store, name)
    finally:
        store.close()
    print(token)
    print(f"added writer {writer.name!r}; the line above is their token, shown only now. They sign in with it "
          "in the editor, send it as `Authorization: Bearer <token>`, or as LanguageTool's apiKey with "
          f"username {writer.name!r}.", file=sys.stderr)


@app.command("list")
def list_command(database: DatabaseOption = None) -> None:
    """List the writers: name, when added, active or revoked, and the model their text is corrected with."""
    from spelltune.serve.store.accounts import list_writers

    store = _store(database)
    try:
        writers = list_writers(store)
    finally:
        store.close()
    if not writers:
        print("no writers: a server on loopback runs in single-user mode (no sign-in)", file=sys.stderr)
    for writer in writers:
        status = f"revoked {_when(writer.revoked_at)}" if writer.revoked_at else "active"
        print(f"{writer.name}\tadded {_when(writer.created)}\t{status}\t{writer.model_spec or SERVER_MODEL}")


@app.command("revoke")
def revoke_command(name: Annotated[str, typer.Argument(help="The writer to lock out.")],
                   database: DatabaseOption = None) -> None:
    """Revoke a writer: their tokens stop working at once (their data stays until `erase`)."""
    from spelltune.serve.store.accounts import revoke_writer

    store = _store(database)
    try:
        writer = revoke_writer(store, name)
    finally:
        store.close()
    print(f"revoked {writer.name!r}: their tokens no longer work", file=sys.stderr)


@app.command("token")
def token_command(name: Annotated[str, typer.Argument(help="The writer who needs a new token.")],
                  database: DatabaseOption = None) -> None:
    """Print a new token for a writer (shown once); their earlier tokens stop working."""
    from spelltune.serve.store.accounts import new_token

    store = _store(database)
    try:
        token = new_token(store, name)
    finally:
        store.close()
    print(token)
    print(f"new token for {name.strip().lower()!r} (shown only now); the earlier ones no longer work",
          file=sys.stderr)


@app.command("model")
def model_command(name: Annotated[str, typer.Argument(help="The writer whose model to show or clear.")],
                  clear: Annotated[bool, typer.Option("--clear", help="Correct them with the server's own model again.")] = False,
                  database: DatabaseOption = None) -> None:
    """Show the model a writer's text is corrected with (set by `spelltune adapt --writer` when it keeps an
    adapter), or clear it."""
    from spelltune.serve.store.writer_model import clear_writer_model, writer_model

    store = _store(database)
    try:
        spec = clear_writer_model(store, name) if clear else writer_model(store, name)
    finally:
        store.close()
    shown = name.strip().lower()
    if not clear:
        print(spec or SERVER_MODEL)
    elif spec is None:
        print(f"{shown!r} already uses the server's own model", file=sys.stderr)
    else:
        print(f"{shown!r} now uses the server's own model (was {spec}; its folder is left where it is)",
              file=sys.stderr)


@app.command("export")
def export_command(name: Annotated[str, typer.Argument(help="The writer whose data to print.")],
                   database: DatabaseOption = None) -> None:
    """Print everything kept about a writer as JSON: dictionary, feedback, preferences."""
    from spelltune.serve.store.accounts import find_writer
    from spelltune.serve.store.writer_data import export_writer_data

    store = _store(database)
    try:
        data = export_writer_data(store, find_writer(store, name))
    finally:
        store.close()
    print(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("erase")
def erase_command(name: Annotated[str, typer.Argument(help="The writer to erase.")],
                  yes: Annotated[bool, typer.Option("--yes", help="Erase without asking.")] = False,
                  database: DatabaseOption = None) -> None:
    """Erase a writer: their tokens, dictionary, feedback and preferences, and the name itself."""
    from spelltune.errors import InputError
    from spelltune.serve.store.accounts import find_writer
    from spelltune.serve.store.writer_data import erase_writer_data

    if not yes:
        raise InputError(f"erasing {name!r} deletes all their data for good; run again with --yes")
    store = _store(database)
    try:
        counts = erase_writer_data(store, find_writer(store, name).id, and_writer=True)
    finally:
        store.close()
    print(f"erased {name.strip().lower()!r}: " + ", ".join(f"{count} {what}" for what, count in counts.items()),
          file=sys.stderr)


def register(main_app: typer.Typer) -> None:
    """Mount `spelltune writers` on the main CLI."""
    main_app.add_typer(app, name="writers")
