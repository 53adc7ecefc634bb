#ifndef PROMPTTRAIL_CTHREADSTACK_SHIM_H
#define PROMPTTRAIL_CTHREADSTACK_SHIM_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__linux__)
// glibc declares it only under _GNU_SOURCE, which the Glibc module is built without.
int pthread_getattr_np(pthread_t thread, pthread_attr_t *attributes);
#endif

// The calling thread's stack: its lowest address and its size. Returns 0, or -1 when they are unknown.
static inline int CThreadStack_bounds(uintptr_t *low, size_t *size) {
#if defined(__APPLE__)
    pthread_t thread = pthread_self();
    *size = pthread_get_stacksize_np(thread);
    *low = (uintptr_t)pthread_get_stackaddr_np(thread) - *size;
    return 0;
#else
    pthread_attr_t attributes;
    void *address = NULL;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return -1;
    int status = pthread_attr_getstack(&attributes, &address, size);
    pthread_attr_destroy(&attributes);
    *low = (uintptr_t)address;
    return status == 0 ? 0 : -1;
#endif
}

// The address of the calling frame: on the thread's stack even where AddressSanitizer moves local variables
// to a separate "fake stack".
static inline uintptr_t CThreadStack_frameAddress(void) { return (uintptr_t)__builtin_frame_address(0); }

#endif
