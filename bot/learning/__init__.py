"""Learning shared: lessons people learned (``/learned``, the **Save as a lesson** shortcut),
found helpful and found again by search, and training people took."""
