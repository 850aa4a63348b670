"""Receipt printer (ESC/POS): rendering, driver and network simulator."""
