"""Pages for stories, journeys, their import and export, and the gap analysis."""
