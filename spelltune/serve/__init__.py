"""Serving the corrector: `spelltune fix`, the HTTP API and web editor (`spelltune serve`), and the Python client."""
