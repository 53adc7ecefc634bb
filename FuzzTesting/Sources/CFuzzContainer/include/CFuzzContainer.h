#ifndef PROMPTTRAIL_CFUZZCONTAINER_H
#define PROMPTTRAIL_CFUZZCONTAINER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver: parses the libFuzzer options in `argv` and runs `test` on each input. Each fuzz
/// target's `main` calls it, so that the targets build as ordinary executables.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));

/// The compression filters a fuzz input can be wrapped in.
typedef enum {
    CFuzzFilterGzip = 1,
    CFuzzFilterZstd = 2,
    CFuzzFilterXz = 3,
} CFuzzFilter;

/// Compresses `count` bytes at `input` with `filter` (fastest level) into `output`, which holds `capacity`
/// bytes. Returns the compressed size, or -1 when libarchive fails or `output` is too small.
long CFuzzContainer_compress(const void *input, size_t count, CFuzzFilter filter, void *output, size_t capacity);

#endif
