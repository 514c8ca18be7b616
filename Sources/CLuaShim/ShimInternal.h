#ifndef TRELLIS_SHIM_INTERNAL_H
#define TRELLIS_SHIM_INTERNAL_H

/*
 * What the shim's files share and the host does not see. Each file opens with the invariants it
 * keeps; the public API is include/CLuaShim.h.
 */

#include "CLuaShim.h"

/* The state's TrellisControl, stored in its extra space by trellis_newstate (Allocator.c). */
static inline TrellisControl *control_of(lua_State *L) {
    return *(TrellisControl **)lua_getextraspace(L);
}

/* Proxies.c: the __newindex of every read-only proxy (and of lazy collections), raising the error
 * that names the field; and a light proxy for the table at the top of the stack, pushed above it. */
int trellis_readonly_newindex(lua_State *L);
void trellis_push_light_proxy(lua_State *L);

/* LazyCollections.c: next(proxy, key) over a lazy collection; and a lazy collection whose proxy
 * keeps the value at stack index `anchor` (or none, 0) alive. */
int trellis_lazy_next_of_proxy(lua_State *L);
void trellis_push_lazy_anchored(lua_State *L, const TrellisLazySpec *spec, int anchor);

#endif
