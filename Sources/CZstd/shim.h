#ifndef PROMPTTRAIL_CZSTD_SHIM_H
#define PROMPTTRAIL_CZSTD_SHIM_H

#include <zstd.h>

#endif
