#!/usr/bin/env bash
# SLURM job template: `spelltune train` on one GPU node, one process per GPU through accelerate (DDP).
# Submit: sbatch scripts/slurm_train.sh configs/train/h100-qwen3.yaml [extra `spelltune train` args]
#   e.g.  sbatch --gpus-per-node=4 scripts/slurm_train.sh configs/train/h100-qwen3.yaml --set model=qwen3-1.7b
# Requeue-safe: a preempted or timed-out job resumes from its last checkpoint when resubmitted
# (the run directory is fixed by the job name, and --resume is passed once checkpoints exist).
#SBATCH --job-name=spelltune-train
#SBATCH --nodes=1
#SBATCH --gpus-per-node=8
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=64
#SBATCH --mem=0
#SBATCH --time=12:00:00
#SBATCH --output=%x-%j.out
#SBATCH --requeue
#SBATCH --signal=B:USR1@300
set -euo pipefail

CONFIG="${1:?usage: sbatch scripts/slurm_train.sh CONFIG.yaml [spelltune train args]}"
shift
RUN_DIR="${RUN_DIR:-runs/${SLURM_JOB_NAME}-$(basename "${CONFIG}" .yaml)}"
GPUS="${SLURM_GPUS_ON_NODE:-$(nvidia-smi -L | wc -l)}"
# Activate the environment spelltune is installed in (edit for your cluster: module load / conda / venv).
source "${SPELLTUNE_VENV:-.venv}/bin/activate"

export OMP_NUM_THREADS=$(( ${SLURM_CPUS_PER_TASK:-8} / GPUS ))
export TOKENIZERS_PARALLELISM=false
export HF_HUB_OFFLINE="${HF_HUB_OFFLINE:-0}"   # set 1 on nodes without internet, after caching the model

RESUME=()
if compgen -G "${RUN_DIR}/checkpoints/checkpoint-*" > /dev/null; then
  RESUME=(--resume)
fi

# Requeue ourselves shortly before the time limit; the next job resumes from the last checkpoint.
trap 'echo "time limit near: requeueing"; scontrol requeue "${SLURM_JOB_ID}"' USR1

accelerate launch \
  --config_file configs/accelerate/ddp.yaml \
  --num_processes "${GPUS}" \
  --main_process_port "$(( 29500 + SLURM_JOB_ID % 1000 ))" \
  -m spelltune train "${CONFIG}" --out "${RUN_DIR}" "${RESUME[@]}" "$@" &
wait $!
