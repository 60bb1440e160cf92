"""Certificate views: public verification, the holder's files, staff management."""
