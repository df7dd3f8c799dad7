"""The engine: plain Python, torch, torchvision and Pillow. This package never imports Qt.

The CLI and the GUI are two thin faces of it; everything a button does, a function here
does first.
"""
