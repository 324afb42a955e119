"""The ModelArts API groups (``ma.devenv``, ``ma.notebooks``, ``ma.training``...)."""
