"""Images in: dataset sources, folder scans, splits, augmentation, decoding, the health scan and the browser's listings."""
