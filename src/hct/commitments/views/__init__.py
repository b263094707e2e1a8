"""The commitments pages: the partnership's own (staff), the public accountability pages, and
community scrutiny."""
