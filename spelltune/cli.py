"""The `spelltune` command: each subcommand is a thin wrapper over a typed function users can import.

Stage commands live beside their stage (`spelltune/<stage>/cli.py`; the serve stage's two in
`serve/fix_cli.py` and `serve/serve_cli.py`) and are mounted here.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import typer

from spelltune.errors import SpelltuneError

app = typer.Typer(
    name="spelltune",
    help="A small open language model as a private, local typo and spelling corrector.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _mount_stage_commands() -> None:
    from spelltune.serve.fix_cli import register as register_fix

    register_fix(app)
    from spelltune.serve.serve_cli import register as register_serve

    register_serve(app)
    from spelltune.serve.writers_cli import register as register_writers

    register_writers(app)
    from spelltune.models.cli import register as register_models

    register_models(app)
    from spelltune.engine.cli import register as register_engines

    register_engines(app)
    importlib.import_module("spelltune.export.publish_cli").register(app)
    for stage in ("data", "train", "evaluate", "export", "spelling"):
        # A stage that is not built yet (or not installed) simply has no commands.
        if importlib.util.find_spec(f"spelltune.{stage}") is None:
            continue
        if importlib.util.find_spec(f"spelltune.{stage}.cli") is None:
            continue
        importlib.import_module(f"spelltune.{stage}.cli").register(app)


_mount_stage_commands()


def main() -> None:
    """Entry point: run the CLI; a user-caused failure becomes one line on stderr and exit code 2."""
    from spelltune.cli_support import configure_process_environment, quiet_warnings

    configure_process_environment()
    quiet_warnings()
    try:
        exit_code = app(standalone_mode=False)
    except SpelltuneError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`spelltune fix < big.txt | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except _click_exceptions() as error:
        error.show()
        sys.exit(error.exit_code)
    except _click_abort():
        print("aborted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("SPELLTUNE_DEBUG"):
            raise
        print(
            f"error: unexpected {type(error).__name__}: {error} (set SPELLTUNE_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        sys.exit(1)
    sys.exit(exit_code if isinstance(exit_code, int) else 0)


def _click_exceptions() -> tuple[type[BaseException], ...]:
    # typer >= 0.25 vendors click as typer._click; older ones use click itself.
    import click

    found: list[type[BaseException]] = [click.ClickException]
    try:
        from typer._click.exceptions import ClickException as VendoredClickException

        found.append(VendoredClickException)
    except ImportError:
        pass
    return tuple(found)


def _click_abort() -> tuple[type[BaseException], ...]:
    import click

    return (click.exceptions.Abort, typer.Abort)
