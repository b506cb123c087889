// GlossImport: fetch, decode, parse, extract and sanitize articles. See DESIGN.md §6.
