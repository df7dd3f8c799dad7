"""CNN Studio: design, train, evaluate and export convolutional networks by clicking."""

__version__ = "0.1.0"
