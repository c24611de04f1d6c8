"""Fine-tune a causal LM on correction pairs with TRL's SFTTrainer and PEFT (LoRA, QLoRA or full)."""

from spelltune.train.config import TrainConfig, load_train_config

__all__ = ["TrainConfig", "load_train_config", "train_model"]


def __getattr__(name: str):
    if name == "train_model":  # imports torch/TRL only when asked for
        from spelltune.train.run import train_model

        return train_model
    raise AttributeError(name)
