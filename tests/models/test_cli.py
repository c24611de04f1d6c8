def test_models_lists_every_preset_with_its_license(run_cli):
    result = run_cli(["models"])
    assert result.exit_code == 0
    for name in ("smollm2-135m", "qwen3-0.6b", "Apache-2.0", "installed"):
        assert name in result.stdout
