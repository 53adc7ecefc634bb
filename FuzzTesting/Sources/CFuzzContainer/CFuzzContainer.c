#include "CFuzzContainer.h"

#include <archive.h>
#include <archive_entry.h>

long CFuzzContainer_compress(const void *input, size_t count, CFuzzFilter filter, void *output, size_t capacity) {
    struct archive *archive = archive_write_new();
    struct archive_entry *entry = archive_entry_new();
    size_t used = 0;
    long result = -1;
    if (archive == NULL || entry == NULL) goto done;
    // The raw format writes one entry's data and nothing else: the stream is the compressed input.
    if (archive_write_set_format_raw(archive) != ARCHIVE_OK) goto done;
    int status = ARCHIVE_FATAL;
    const char *options = NULL;
    switch (filter) {
    case CFuzzFilterGzip:
        status = archive_write_add_filter_gzip(archive);
        options = "gzip:compression-level=1";
        break;
    case CFuzzFilterZstd:
        status = archive_write_add_filter_zstd(archive);
        options = "zstd:compression-level=1";
        break;
    case CFuzzFilterXz:
        status = archive_write_add_filter_xz(archive);
        options = "xz:compression-level=0";
        break;
    }
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) goto done;
    if (archive_write_set_options(archive, options) != ARCHIVE_OK) goto done;
    if (archive_write_set_bytes_in_last_block(archive, 1) != ARCHIVE_OK) goto done;
    if (archive_write_open_memory(archive, output, capacity, &used) != ARCHIVE_OK) goto done;
    archive_entry_set_pathname(entry, "data");
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_size(entry, (la_int64_t)count);
    if (archive_write_header(archive, entry) != ARCHIVE_OK) goto done;
    if (count > 0 && archive_write_data(archive, input, count) != (la_ssize_t)count) goto done;
    if (archive_write_close(archive) != ARCHIVE_OK) goto done;
    result = (long)used;
done:
    if (entry != NULL) archive_entry_free(entry);
    if (archive != NULL) archive_write_free(archive);
    return result;
}
