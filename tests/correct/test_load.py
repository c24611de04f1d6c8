"""Loading correctors: a process keeps each model once, and never past a change to its files."""

from __future__ import annotations

import shutil

from spelltune.correct.load import load_corrector


def test_a_model_saved_again_at_the_same_path_is_loaded_again(tiny_model_dir, tmp_path):
    import torch
    from safetensors.torch import load_file, save_file

    directory = tmp_path / "model"
    shutil.copytree(tiny_model_dir, directory)
    first = load_corrector(str(directory), engine="torch", device="cpu")
    assert load_corrector(str(directory), engine="torch", device="cpu") is first  # same files: reused
    # Retrained in place: other weights of the same shape, saved over the old ones.
    retrained = {name: tensor + 1 for name, tensor in load_file(directory / "model.safetensors").items()}
    save_file(retrained, directory / "model.safetensors", metadata={"format": "pt"})
    second = load_corrector(str(directory), engine="torch", device="cpu")
    embeddings = second.engine.model.get_input_embeddings().weight
    assert torch.equal(embeddings, retrained["model.embed_tokens.weight"])
