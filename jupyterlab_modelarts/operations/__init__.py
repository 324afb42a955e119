"""User-level workflows shared by the REST handlers and the magics."""
