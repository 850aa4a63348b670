"""Qt Widgets front end: screens, themes, the bridge from device and sync threads, the CLI."""
