"""The user-facing failure classes. The CLI turns each into a one-line message and exit code 2."""


class SpelltuneError(Exception):
    """Base class of every failure a user can cause and fix; the message says what to do."""

    exit_code = 2


class ModelSpecError(SpelltuneError):
    """A model spec that names no preset, local path or reachable hub model, or that fails to load."""


class InputError(SpelltuneError):
    """Input text or a file that cannot be read: missing, unreadable, or no text given at all."""


class ConfigError(SpelltuneError):
    """A YAML config or a `--set key=value` override that does not match the config's fields."""


class DataFormatError(SpelltuneError):
    """A data file whose content does not follow its format; the message names the file and line."""


class EngineError(SpelltuneError):
    """An inference engine that is unknown, not installed, or cannot run the model it was given."""


class ExportError(SpelltuneError):
    """An export that cannot be made: unknown format, missing optional package, output folder in the way."""


class ParityError(SpelltuneError):
    """An exported model whose answers differ from the model it came from (the parity check failed)."""

    exit_code = 1


class DatabaseError(SpelltuneError):
    """A database URL that cannot be opened or brought up to date (bad URL, missing driver, unreachable)."""


class AccountError(SpelltuneError):
    """A writer name that is not valid, already taken, unknown or already revoked."""
