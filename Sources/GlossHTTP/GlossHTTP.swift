// GlossHTTP: one small client over libcurl. See DESIGN.md §1 and §6.
