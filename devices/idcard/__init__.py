"""Resident ID-card reader (GA/T 467 SAM protocol): frames, driver and pty simulator."""
