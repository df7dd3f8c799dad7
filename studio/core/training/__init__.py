"""The training engine: set-up (devices, threads, precision), the loop, callbacks, optimizers and schedules, distributed runs, fine-tuning."""
