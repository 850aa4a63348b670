"""The kiosk's domain: services, sessions, applications, receipts. No Qt, no network, no devices."""
