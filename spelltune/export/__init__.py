"""Export a model to other runtimes (GGUF, ONNX, CTranslate2, ExecuTorch, Core ML), each checked for parity."""
