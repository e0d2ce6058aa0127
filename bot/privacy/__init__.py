"""A person's data: export it, erase it (on request, for people who left, after uninstall)."""
