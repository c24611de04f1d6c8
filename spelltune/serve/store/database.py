"""Open spelltune's database: a URL (SQLite by default, PostgreSQL for replicas), brought up to date on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from spelltune.errors import DatabaseError
from spelltune.serve.personal import user_data_dir
from spelltune.serve.store import migrate

DATABASE_FILE = "spelltune.db"


def default_database_url() -> str:
    """`sqlite:///<user data dir>/spelltune.db`: the embedded default, beside the dictionary file."""
    return f"sqlite:///{user_data_dir() / DATABASE_FILE}"


def parse_database_url(url: str) -> URL:
    """`url` as SQLAlchemy reads it, `postgresql://` meaning psycopg 3; DatabaseError when it is not a URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {url!r} (try sqlite:///path/spelltune.db or "
                            "postgresql://user:password@host/dbname)") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(f"spelltune stores its data in SQLite or PostgreSQL, not {parsed.get_backend_name()}")
    return parsed


def shown_url(url: str | URL) -> str:
    """`url` with its password hidden, for messages."""
    try:
        return (url if isinstance(url, URL) else make_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


class Store:
    """One open database. `session()` is a transaction: committed when its block ends, rolled back on error."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        """The database's URL, password hidden."""
        return shown_url(self.engine.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction of its own."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """An engine for `url` (not connected yet); a SQLite file's folder is created."""
    parsed = parse_database_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as missing:
        raise DatabaseError(f"no driver for {shown_url(parsed)} ({missing}): pip install 'spelltune[postgres]'") from None
    except OSError as error:
        raise DatabaseError(f"cannot create the database folder for {shown_url(parsed)}: {error}") from None


def open_store(url: str | None = None) -> Store:
    """The database at `url` (default: `default_database_url()`), upgraded to the newest schema."""
    url = url or default_database_url()
    engine = create_database_engine(url)
    try:
        migrate.upgrade(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DatabaseError(f"cannot open the database {shown_url(engine.url)}: {reason}") from None
    return Store(engine)
