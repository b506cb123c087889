// GlossHTTP: one small client over libcurl, used by import and by the sync engine's HTTP remote.
// See DESIGN.md §1 and §6.
//
// - `HTTPClient` sends an `HTTPRequest` under `HTTPOptions` and returns an `HTTPResponse`.
// - Every failure is an `HTTPError` that says what happened and what to do.
// - `Easy` is the only type that touches libcurl (STYLE.md 1).
