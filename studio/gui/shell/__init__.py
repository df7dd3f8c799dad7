"""The window's frame: the main window, its menus and pages, the start page, files, recovery, help."""
