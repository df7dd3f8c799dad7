"""Networks: the block registry and its shape rules, analytic shape inference, the stack builder and the pretrained zoo."""
