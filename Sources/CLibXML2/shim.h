// libxml2's HTML parser for GlossImport. Debian's headers pull in system ICU, which clashes
// with Foundation's bundled ICU: undefine LIBXML_ICU_ENABLED before the parser headers.
#ifndef GLOSS_CLIBXML2_SHIM_H
#define GLOSS_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer Swift 6 rejects; call it through this.
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
