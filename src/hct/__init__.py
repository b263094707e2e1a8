"""hct: Healthy Communities Together."""
