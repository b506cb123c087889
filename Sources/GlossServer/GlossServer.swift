// GlossServer: the sync server (Hummingbird) and its stores. See DESIGN.md §5.
