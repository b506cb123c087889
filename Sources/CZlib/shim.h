// zlib, for gzip request bodies: GlossServer decodes them (HTTP/Gzip.swift), GlossSync's HTTP
// remote encodes them (HTTP/GzipEncoder.swift). Nothing else imports this module (STYLE.md 1).
// zlib's init calls are macros Swift cannot import; these wrappers pass the version and size.
#ifndef GLOSS_CZLIB_SHIM_H
#define GLOSS_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 with `windowBits` (15 + 16: gzip only; 15 + 32: gzip or zlib, auto-detected).
static inline int czlib_inflate_init(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2 writing a gzip stream (windowBits 15 + 16) at `level`.
static inline int czlib_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
