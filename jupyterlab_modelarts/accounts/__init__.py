"""Profiles (which cloud, region, project, workspace) and where their credentials come from."""
