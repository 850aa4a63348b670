"""Device drivers behind small interfaces, and simulators that speak the same bytes."""
