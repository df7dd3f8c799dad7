"""The Design page: layer palette, layer stack, property editor, shape table, block diagram."""
