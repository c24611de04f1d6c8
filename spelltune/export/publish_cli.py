"""CLI wrappers for `spelltune publish` (an export or a run) and `spelltune data publish` (a dataset)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RepoOption = Annotated[str, typer.Option("--repo", help="The hub repository to create or update: user/name.")]
PrivateOption = Annotated[bool, typer.Option("--private", help="Create the repository as private.")]
TokenOption = Annotated[str | None, typer.Option("--token", help="A write token (default: HF_TOKEN, then the stored login).")]
ChecksumsOption = Annotated[bool, typer.Option("--write-checksums", help="Write SHA256SUMS for the folder first.")]
EndpointOption = Annotated[str | None, typer.Option("--endpoint", help="Hub URL (default: HF_ENDPOINT or huggingface.co).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check the folder and list what would be uploaded.")]


def _publish(folder: Path, repo: str, repo_type: str, private: bool, token: str | None, write_sums: bool,
             endpoint: str | None, dry_run: bool) -> None:
    from spelltune.export.publish import plan_publish, publish_folder, write_checksums

    if write_sums:
        typer.echo(f"wrote {write_checksums(folder)}", err=True)
    if dry_run:
        plan = plan_publish(folder, repo_type)
        for path_in_repo in plan.paths_in_repo():
            typer.echo(path_in_repo)
        typer.echo(f"{len(plan.files)} files checked; nothing uploaded (--dry-run)", err=True)
        return
    result = publish_folder(folder, repo, repo_type=repo_type, private=private, token=token, endpoint=endpoint)
    typer.echo(f"published {len(result.files)} files to {result.url}", err=True)
    typer.echo(result.commit_url or result.url)


def publish_command(
    folder: Annotated[Path, typer.Argument(help="An export folder or a training run (model + README.md card).")],
    repo: RepoOption,
    private: PrivateOption = False,
    token: TokenOption = None,
    write_sums: ChecksumsOption = False,
    endpoint: EndpointOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Push a model folder and its card to the Hugging Face Hub (needs its card and a complete SHA256SUMS)."""
    _publish(folder, repo, "model", private, token, write_sums, endpoint, dry_run)


def data_publish_command(
    folder: Annotated[Path, typer.Argument(help="A folder written by `spelltune data build` (with card.md).")],
    repo: RepoOption,
    private: PrivateOption = False,
    token: TokenOption = None,
    write_sums: ChecksumsOption = False,
    endpoint: EndpointOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Push a built dataset and its card to the Hugging Face Hub as a dataset repository."""
    _publish(folder, repo, "dataset", private, token, write_sums, endpoint, dry_run)


def register(app: typer.Typer) -> None:
    """Mount `spelltune publish` on the main CLI."""
    app.command("publish")(publish_command)
