"""Publish an export folder, a training run or a built dataset to the Hugging Face Hub.

A folder is published only when it carries its card (README.md; a dataset's card.md becomes the
repository's README.md) and a SHA256SUMS that lists every file in it with the right digest: what lands on
the hub is exactly the checksummed set, uploaded in one commit with `huggingface_hub` (create_repo +
create_commit). `write_checksums` writes SHA256SUMS for folders that have none yet (runs, datasets).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from spelltune.atomic import file_sha256
from spelltune.errors import SpelltuneError

CHECKSUMS = "SHA256SUMS"
MODEL_CARD = "README.md"
DATASET_CARD = "card.md"
REPO_TYPES = ("model", "dataset")
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_CHECKSUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


class PublishError(SpelltuneError):
    """A folder that cannot be published (no card, stale or incomplete SHA256SUMS) or a hub that refused it."""


@dataclass
class PublishPlan:
    """What one publish uploads: (local file, path in the repository) pairs, card first."""

    folder: Path
    repo_type: str
    files: list[tuple[Path, str]] = field(default_factory=list)

    def paths_in_repo(self) -> list[str]:
        """The repository paths, in upload order."""
        return [path_in_repo for _, path_in_repo in self.files]


@dataclass
class PublishResult:
    """Where a folder went: the repository, its URL, the commit and the files."""

    repo_id: str
    repo_type: str
    url: str
    commit_url: str | None
    files: list[str]


def _folder_files(folder: Path) -> list[str]:
    # Every regular file except SHA256SUMS itself and hidden files or folders (.git, .cache, .DS_Store).
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and relative.as_posix() != CHECKSUMS and not any(p.startswith(".") for p in relative.parts):
            found.append(relative.as_posix())
    return found


def write_checksums(folder: Path) -> Path:
    """Write FOLDER/SHA256SUMS (`sha256sum -c` format) for every file in it; its path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PublishError(f"{folder} is not a folder")
    rows = [f"{file_sha256(folder / name)}  {name}" for name in _folder_files(folder)]
    target = folder / CHECKSUMS
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target


def read_checksums(folder: Path) -> dict[str, str]:
    """SHA256SUMS of `folder` as {relative path: hex digest}; a PublishError when it is missing or malformed."""
    path = folder / CHECKSUMS
    if not path.is_file():
        raise PublishError(f"{folder} has no {CHECKSUMS}: refusing to publish files nobody can verify "
                           f"(add --write-checksums to write it)")
    entries: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        match = _CHECKSUM_LINE.match(line)
        if match is None:
            raise PublishError(f"{path}:{number}: not a `sha256sum` line: {line[:80]!r}")
        entries[match.group(2).strip()] = match.group(1).lower()
    return entries


def plan_publish(folder: Path, repo_type: str = "model") -> PublishPlan:
    """Check `folder` (card present, SHA256SUMS complete and matching) and list what it would upload."""
    folder = Path(folder)
    if repo_type not in REPO_TYPES:
        raise PublishError(f"unknown repository type '{repo_type}': use one of {', '.join(REPO_TYPES)}")
    if not folder.is_dir():
        raise PublishError(f"{folder} is not a folder")
    card = _card(folder, repo_type)
    listed = read_checksums(folder)
    present = _folder_files(folder)
    unlisted = [name for name in present if name not in listed]
    if unlisted:
        more = f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else ""
        raise PublishError(f"{CHECKSUMS} in {folder} has no entry for {', '.join(unlisted[:3])}{more}: "
                           f"refusing to publish (rewrite it with --write-checksums)")
    for name, expected in listed.items():
        path = folder / name
        if not path.is_file():
            raise PublishError(f"{CHECKSUMS} in {folder} lists {name}, which is missing")
        if file_sha256(path) != expected:
            raise PublishError(f"{name} in {folder} does not match its {CHECKSUMS} entry (changed after checksumming)")
    plan = PublishPlan(folder, repo_type)
    plan.files.append((card, MODEL_CARD))
    plan.files.extend((folder / name, name) for name in present if name != MODEL_CARD)
    plan.files.append((folder / CHECKSUMS, CHECKSUMS))
    return plan


def _card(folder: Path, repo_type: str) -> Path:
    if (folder / MODEL_CARD).is_file():
        return folder / MODEL_CARD
    if repo_type == "dataset" and (folder / DATASET_CARD).is_file():
        return folder / DATASET_CARD  # the dataset card becomes the repository's README.md
    wanted = MODEL_CARD if repo_type == "model" else f"{MODEL_CARD} or {DATASET_CARD}"
    raise PublishError(f"{folder} has no {repo_type} card ({wanted}): refusing to publish it without one")


def resolve_token(token: str | None) -> str:
    """The token to publish with: the argument, else HF_TOKEN, else the one `hf auth login` stored."""
    if token:
        return token
    if os.environ.get("HF_TOKEN"):
        return os.environ["HF_TOKEN"]
    from huggingface_hub import get_token

    stored = get_token()
    if stored:
        return stored
    raise PublishError("no Hugging Face token: pass --token, set HF_TOKEN or run `hf auth login` "
                       "(a token with write access)")


def publish_folder(folder: Path, repo_id: str, *, repo_type: str = "model", private: bool = False,
                   token: str | None = None, endpoint: str | None = None,
                   commit_message: str | None = None) -> PublishResult:
    """Create (or reuse) the hub repository `repo_id` and upload the checked folder in one commit.

    `endpoint` defaults to HF_ENDPOINT or the public hub. Every failure is a PublishError with one line:
    an unusable folder, no token, a refused token or repository, or a hub that cannot be reached.
    """
    if not _REPO_ID.match(repo_id or ""):
        raise PublishError(f"--repo must look like user/name, not '{repo_id}'")
    plan = plan_publish(folder, repo_type)
    token = resolve_token(token)
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        raise PublishError("HF_HUB_OFFLINE is set: publishing needs the network (unset it to publish)")

    from huggingface_hub import CommitOperationAdd, HfApi

    api = HfApi(endpoint=endpoint, token=token)
    try:
        repo_url = api.create_repo(repo_id, repo_type=repo_type, private=private, exist_ok=True)
        operations = [CommitOperationAdd(path_in_repo=path_in_repo, path_or_fileobj=str(path))
                      for path, path_in_repo in plan.files]
        commit = api.create_commit(repo_id, operations=operations, repo_type=repo_type,
                                   commit_message=commit_message or f"Upload {Path(folder).name} with spelltune")
    except Exception as error:  # noqa: BLE001 - the hub client raises many kinds; each becomes one line
        raise PublishError(_describe_failure(error, endpoint, repo_id)) from None
    return PublishResult(repo_id=repo_id, repo_type=repo_type, url=str(repo_url),
                         commit_url=getattr(commit, "commit_url", None), files=plan.paths_in_repo())


def _describe_failure(error: Exception, endpoint: str, repo_id: str) -> str:
    status = getattr(getattr(error, "response", None), "status_code", None)
    first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
    if status in (401, 403):
        return f"the hub at {endpoint} refused the token for {repo_id} (HTTP {status}): use a token with write access"
    if status is not None:
        return f"the hub at {endpoint} answered HTTP {status} for {repo_id}: {first}"
    if _is_connection_error(error):
        return f"cannot reach the Hugging Face Hub at {endpoint} ({type(error).__name__}): publishing needs network access"
    return f"publishing {repo_id} to {endpoint} failed ({type(error).__name__}: {first})"


def _is_connection_error(error: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if isinstance(current, (ConnectionError, TimeoutError)) or "Connect" in name or "Timeout" in name \
                or name in ("OfflineModeIsEnabled", "gaierror", "NetworkError"):
            return True
        current = current.__cause__ or current.__context__
    return False
