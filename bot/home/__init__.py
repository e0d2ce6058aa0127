"""Bravo's Home tab: everything about a person in one place, kept fresh without a publish storm."""
