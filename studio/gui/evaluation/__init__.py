"""The Evaluate page: confusion matrix, per-class table, galleries, predict, explain, export."""
