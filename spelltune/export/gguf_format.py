"""`--to gguf`: one .gguf file written with the `gguf` package, plus an Ollama Modelfile.

Tensors get llama.cpp's names, and the query and key projections llama.cpp's row permutation (its
rotary embedding pairs neighbouring dimensions; Hugging Face pairs the two halves), which GGUF readers
(llama.cpp, and transformers with `gguf_file=`) undo. The GPT-2 style BPE tokenizer (tokens, token
types, merges), special token ids and the chat template travel in the file's metadata.

Llama-architecture models only (SmolLM2, Llama, Mistral-style); other architectures are refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spelltune.errors import ExportError

SUPPORTED_ARCHITECTURES = ("LlamaForCausalLM", "MistralForCausalLM")
FILE_STEM = "spelltune"
# Tokenizers whose pre-tokenizer llama.cpp knows under this name (others get "default").
PRE_TOKENIZERS = {"smollm": "smollm"}

_LAYER_TENSORS = {
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "post_attention_layernorm.weight": "ffn_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
}


def write_gguf(model_dir: Path, out_dir: Path, quant: str | None) -> list[Path]:
    """Write `spelltune-<quant>.gguf` (f16 or q8_0) and an Ollama `Modelfile` into `out_dir`."""
    import gguf

    from spelltune.models.loading import load_tokenizer

    quant = quant or "f16"
    if quant not in ("f16", "q8_0"):
        raise ExportError(f"--to gguf has no quantization '{quant}': use f16 or q8_0")
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    config = json.loads((model_dir / "config.json").read_text())
    architectures = config.get("architectures") or []
    if not any(name in SUPPORTED_ARCHITECTURES for name in architectures):
        raise ExportError(f"--to gguf writes Llama-architecture models ({', '.join(SUPPORTED_ARCHITECTURES)}); "
                          f"{model_dir} is {', '.join(architectures) or 'of unknown architecture'}: "
                          "try --to onnx or --to ctranslate2")
    tokenizer = load_tokenizer(str(model_dir))
    path = out_dir / f"{FILE_STEM}-{quant}.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    _write_metadata(writer, config, quant)
    _write_tokenizer(writer, tokenizer, model_dir)
    for name, array in _llama_tensors(model_dir, config):
        _add_tensor(writer, name, array, quant)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    modelfile = out_dir / "Modelfile"
    modelfile.write_text(ollama_modelfile(path.name, tokenizer), encoding="utf-8")
    return [path, modelfile]


def _write_metadata(writer: Any, config: dict, quant: str) -> None:
    import gguf

    heads = config["num_attention_heads"]
    hidden = config["hidden_size"]
    writer.add_name(FILE_STEM)
    writer.add_license("apache-2.0")
    writer.add_context_length(config.get("max_position_embeddings", 2048))
    writer.add_embedding_length(hidden)
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(config.get("num_key_value_heads") or heads)
    writer.add_rope_dimension_count(config.get("head_dim") or hidden // heads)
    writer.add_rope_freq_base(float(_rope_theta(config)))
    writer.add_layer_norm_rms_eps(float(config.get("rms_norm_eps", 1e-6)))
    writer.add_vocab_size(config["vocab_size"])
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if quant == "f16" else gguf.LlamaFileType.MOSTLY_Q8_0)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)


def _rope_theta(config: dict) -> float:
    if "rope_theta" in config:
        return config["rope_theta"]
    parameters = config.get("rope_parameters") or {}
    if isinstance(parameters, dict) and "rope_theta" in parameters:
        scaling = parameters.get("rope_type", "default")
        if scaling not in ("default", None):
            raise ExportError(f"--to gguf does not write rope scaling '{scaling}' yet")
        return parameters["rope_theta"]
    return 10000.0


def _write_tokenizer(writer: Any, tokenizer: Any, model_dir: Path) -> None:
    import gguf

    data = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    model = data.get("model", {})
    if model.get("type") != "BPE":
        raise ExportError(f"--to gguf writes BPE tokenizers; {model_dir} has a {model.get('type')} tokenizer")
    size = len(tokenizer)
    tokens = tokenizer.convert_ids_to_tokens(list(range(size)))
    added = {token["id"]: token for token in data.get("added_tokens", [])}
    types = []
    for index in range(size):
        if index in added:
            types.append(gguf.TokenType.CONTROL if added[index].get("special") else gguf.TokenType.USER_DEFINED)
        else:
            types.append(gguf.TokenType.NORMAL)
    merges = [merge if isinstance(merge, str) else " ".join(merge) for merge in model.get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(PRE_TOKENIZERS.get(_pre_name(tokenizer), "default"))
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    for token, add in (("bos", writer.add_bos_token_id), ("eos", writer.add_eos_token_id),
                       ("unk", writer.add_unk_token_id), ("pad", writer.add_pad_token_id)):
        token_id = getattr(tokenizer, f"{token}_token_id", None)
        if token_id is not None:
            add(int(token_id))
    writer.add_add_bos_token(False)  # the prompt carries every special token it needs
    if getattr(tokenizer, "chat_template", None):
        writer.add_chat_template(tokenizer.chat_template)


def _pre_name(tokenizer: Any) -> str:
    vocab = tokenizer.get_vocab()
    return "smollm" if "<|im_start|>" in vocab and len(vocab) == 49152 else ""


def _llama_tensors(model_dir: Path, config: dict):
    """(gguf name, float32 array) for every weight, q and k permuted the way llama.cpp stores them."""
    from safetensors import safe_open

    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    weights: dict[str, Any] = {}
    for file in sorted(model_dir.glob("*.safetensors")):
        with safe_open(str(file), framework="pt") as handle:
            for name in handle.keys():
                weights[name] = handle.get_tensor(name).float().numpy()
    if not weights:
        raise ExportError(f"{model_dir} holds no safetensors weights")
    yield "token_embd.weight", weights.pop("model.embed_tokens.weight")
    yield "output_norm.weight", weights.pop("model.norm.weight")
    head = weights.pop("lm_head.weight", None)
    if head is not None and not config.get("tie_word_embeddings", False):
        yield "output.weight", head
    for layer in range(config["num_hidden_layers"]):
        for hf_name, gguf_name in _LAYER_TENSORS.items():
            array = weights.pop(f"model.layers.{layer}.{hf_name}")
            if hf_name == "self_attn.q_proj.weight":
                array = permute_for_llama_cpp(array, heads, heads)
            elif hf_name == "self_attn.k_proj.weight":
                array = permute_for_llama_cpp(array, heads, kv_heads)
            yield f"blk.{layer}.{gguf_name}", array
    leftover = [name for name in weights if "rotary_emb" not in name]
    if leftover:
        raise ExportError(f"--to gguf does not know where these weights go: {', '.join(leftover[:5])}")


def permute_for_llama_cpp(weights: Any, heads: int, kv_heads: int) -> Any:
    """llama.cpp's q/k row order: within each head, interleave the two rotary halves (its converter's permute)."""
    if kv_heads != heads:
        heads = kv_heads
    return (weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def _add_tensor(writer: Any, name: str, array: Any, quant: str) -> None:
    import gguf
    import numpy as np

    if array.ndim == 1:
        writer.add_tensor(name, array.astype(np.float32))
        return
    if quant == "q8_0" and array.shape[-1] % gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType.Q8_0][0] == 0:
        quantized = gguf.quants.quantize(array.astype(np.float32), gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor(name, quantized, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        return
    writer.add_tensor(name, array.astype(np.float16))


def ollama_modelfile(gguf_name: str, tokenizer: Any) -> str:
    """An Ollama Modelfile that runs the GGUF with the project's exact prompt, greedy, stopping at end of turn."""
    from spelltune.prompt import build_prompt

    marker = "\x00TEXT\x00"
    template = build_prompt(tokenizer, marker).replace(marker, "{{ .Prompt }}")
    stops = [token for token in ("<|im_end|>", tokenizer.eos_token) if token and token in tokenizer.get_vocab()]
    lines = [f"FROM ./{gguf_name}", "", f'TEMPLATE """{template}"""', ""]
    lines += [f'PARAMETER stop "{token}"' for token in dict.fromkeys(stops)]
    lines += ["PARAMETER temperature 0", "PARAMETER top_k 1", ""]
    return "\n".join(lines)
