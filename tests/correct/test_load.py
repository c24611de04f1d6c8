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


def test_forgetting_one_model_lets_go_of_its_weights_and_keeps_the_others(tiny_model_dir, tmp_path):
    import gc
    import weakref

    from spelltune.correct.load import forget_loaded_model

    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(tiny_model_dir, one)
    shutil.copytree(tiny_model_dir, two)
    kept = load_corrector(str(two), engine="torch", device="cpu")
    gone = weakref.ref(load_corrector(str(one), engine="torch", device="cpu").engine.model)
    forget_loaded_model(str(one))
    gc.collect()
    assert gone() is None  # nothing in the process holds the forgotten model's weights any more
    assert load_corrector(str(two), engine="torch", device="cpu") is kept
