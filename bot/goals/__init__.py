"""Goals, check-ins and coaching."""
