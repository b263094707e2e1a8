"""When the demo's first cycle reached each stage (shared by the demo loaders)."""

FIRST_CYCLE_DATES = {
    "poolside": "2025-09-01",
    "dive_in": "2025-10-06",
    "story": "2025-11-03",
    "bc1": "2026-02-05",
    "bc2": "2026-04-16",
    "bc3": "2026-06-18",
}
