/* LD_PRELOAD shim for running trellis under valgrind 3.19 (Debian 12).
 *
 * trellis's async main parks the main thread in libdispatch, which calls sigsuspend() with a
 * mask in read-only memory (a static const). Valgrind's rt_sigsuspend wrapper edits the mask in
 * place to keep its own signals out, and dies of SIGSEGV ("VALGRIND INTERNAL ERROR") on the
 * write. This passes a writable copy to the real sigsuspend. It runs once per process. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*real)(const sigset_t *);
    if (real == 0) real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    sigset_t copy = *mask;
    return real(&copy);
}
