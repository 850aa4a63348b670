"""Technician mode: a PIN or a centre-signed QR token opens a shell of maintenance pages over the kiosk."""
