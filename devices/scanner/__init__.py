"""Code scanners: camera (OpenCV + pyzbar), HID keyboard-wedge (evdev) and serial, behind one interface."""
