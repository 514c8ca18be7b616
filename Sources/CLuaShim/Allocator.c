/*
 * The capped allocator and the state it serves.
 *
 * Invariants kept here:
 * - Lua's allocator contract: `ptr == NULL` is a new block (`osize` is then a type tag, not a
 *   size); `nsize == 0` frees and never fails; a shrink never fails (the larger block is kept).
 * - `memory_used` is exactly the bytes Lua holds in this state, at every return.
 * - The cap applies only while `memory_enforced` (rule code runs), and only to what rule code adds
 *   to `memory_baseline`; growth is checked against it without overflow.
 * - Only a request refused twice (Lua collects and asks again) or larger than the whole cap sets
 *   `memory_exceeded`: garbage is never the rule's to pay for.
 * - The state's extra space holds its TrellisControl from creation (`control_of`).
 * - A Lua error outside any protected call aborts the process with its message (the panic
 *   function): it cannot happen while the host follows the protected-call rule.
 */
#include "ShimInternal.h"
#include "BoundedLibraries.h"

#include <stdio.h>
#include <stdlib.h>

/* Lua's allocator contract: `ptr == NULL` means a new block (and `osize` is then a type tag,
 * not a size); `nsize == 0` frees; a shrink must never fail. */
static void *trellis_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    TrellisControl *control = (TrellisControl *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        control->memory_used -= old;
        return NULL;
    }
    if (nsize > old && control->memory_enforced && control->memory_limit > 0) {
        size_t growth = nsize - old;
        int is_retry = control->memory_pending && control->pending_block == ptr && control->pending_size == nsize;
        /* The cap is on what rule code adds: the class table or a large student the engine
         * built before the call does not count against it. */
        size_t ceiling = control->memory_baseline + control->memory_limit;
        if (control->memory_used > ceiling || growth > ceiling - control->memory_used) {
            /* Lua answers a refusal with a full collection and the same request again: only a
             * request refused twice is over the cap. Garbage is not the rule's to pay for. A
             * request larger than the whole cap is over it at once (a luaL_Buffer growing in C,
             * string.rep's result, does not ask twice). */
            if (is_retry || growth > control->memory_limit) control->memory_exceeded = 1;
            control->memory_pending = 1;
            control->pending_block = ptr;
            control->pending_size = nsize;
            return NULL;
        }
        if (is_retry) control->memory_pending = 0;
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        if (nsize <= old) return ptr; /* keep the larger block rather than fail a shrink */
        return NULL;
    }
    control->memory_used = control->memory_used - old + nsize;
    if (control->memory_used > control->memory_peak) control->memory_peak = control->memory_used;
    return block;
}

static int trellis_panic(lua_State *L) {
    const char *message = lua_tostring(L, -1);
    fprintf(stderr, "trellis: unprotected Lua error: %s\n", message ? message : "(not a string)");
    abort();
}

lua_State *trellis_newstate(TrellisControl *control) {
    lua_State *L = lua_newstate(trellis_alloc, control);
    if (L == NULL) return NULL;
    *(TrellisControl **)lua_getextraspace(L) = control;
    control->main_thread = L;
    lua_atpanic(L, trellis_panic);
    return L;
}

static int open_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    /* Only os.time, os.date, os.difftime and os.clock reach rules (see sandbox.lua). */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 1);
    /* The functions that loop in C count their steps against the limits (BoundedLibraries.h). */
    trellis_install_bounded_base(L);
    trellis_install_bounded_table(L);
    trellis_install_bounded_string(L);
    lua_settop(L, 0);
    return 0;
}

int trellis_open_rule_libraries(lua_State *L) {
    lua_pushcfunction(L, open_libraries);
    return lua_pcall(L, 0, 0, 0);
}
