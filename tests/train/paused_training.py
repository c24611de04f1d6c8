"""`spelltune train` that stops at one point of training so a test can SIGKILL it there.

python tests/train/paused_training.py POINT TRAIN-ARGS...: POINT is `step:N` (step N logged) or
`checkpoint:N` (checkpoint N's weights written, its optimizer state not yet). There the process prints
`paused at POINT` on stderr and sleeps; the product has no such hook, this script patches the trainer.
"""

from __future__ import annotations

import sys
import time


def main() -> None:
    """Patch the trainer to pause at the point named in argv[1], then run the CLI on the other arguments."""
    from spelltune.cli import main as spelltune_main
    from spelltune.train.sft_trainer import SpelltuneSFTTrainer

    point, arguments = sys.argv[1], sys.argv[2:]
    save_optimizer_and_scheduler, log = SpelltuneSFTTrainer._save_optimizer_and_scheduler, SpelltuneSFTTrainer.log

    def pause_at(where: str) -> None:
        if where == point:
            print(f"paused at {point}", file=sys.stderr, flush=True)
            time.sleep(600)

    def pausing_save_optimizer_and_scheduler(trainer, output_dir):
        pause_at(f"checkpoint:{trainer.state.global_step}")
        save_optimizer_and_scheduler(trainer, output_dir)

    def pausing_log(trainer, logs, start_time=None):
        if "loss" in logs:
            pause_at(f"step:{trainer.state.global_step}")
        log(trainer, logs, start_time)

    SpelltuneSFTTrainer._save_optimizer_and_scheduler = pausing_save_optimizer_and_scheduler
    SpelltuneSFTTrainer.log = pausing_log
    sys.argv = ["spelltune", *arguments]
    spelltune_main()


if __name__ == "__main__":
    main()
