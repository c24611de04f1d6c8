def test_help_lists_the_pipeline_commands(run_cli):
    result = run_cli(["--help"])
    assert result.exit_code == 0
    for command in ("fix", "models", "data", "eval", "compare"):
        assert command in result.stdout


def test_unknown_command_is_a_usage_error(run_cli):
    result = run_cli(["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr
