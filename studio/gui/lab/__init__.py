"""The Convolution Lab page (see :mod:`studio.gui.lab.page`)."""
