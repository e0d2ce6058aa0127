"""Peer feedback, feedback requests, customer feedback and the anonymous suggestion box."""
