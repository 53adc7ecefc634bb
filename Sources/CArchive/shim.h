#ifndef PROMPTTRAIL_CARCHIVE_SHIM_H
#define PROMPTTRAIL_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

// The AE_IF* file-type constants are macros with a cast, which Swift does not import.

static inline unsigned int CArchive_fileTypeRegular(void) { return (unsigned int)AE_IFREG; }
static inline unsigned int CArchive_fileTypeDirectory(void) { return (unsigned int)AE_IFDIR; }
static inline unsigned int CArchive_fileTypeSymbolicLink(void) { return (unsigned int)AE_IFLNK; }

// archive_set_error is variadic, which Swift does not import: this sets a plain message.
static inline void CArchive_setError(struct archive *archive, int code, const char *message) {
    archive_set_error(archive, code, "%s", message);
}

#endif
