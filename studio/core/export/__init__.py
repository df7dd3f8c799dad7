"""Exporting a trained run to the five formats, generating stand-alone Python source, and verifying each export."""
