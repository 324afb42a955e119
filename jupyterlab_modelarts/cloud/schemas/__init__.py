"""Typed request and response models of every API the library calls."""
