"""Looking at a trained run: metrics, evaluation, predictions, feature maps and Grad-CAM."""
