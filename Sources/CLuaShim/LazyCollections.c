/*
 * Lazy read-only collections: `class.students` and `class.results` of a streamed class, whose
 * elements the host builds on first read.
 *
 * Invariants kept here:
 * - They behave as any read-only input: indexing, `#`, `pairs`, `ipairs` and `next` work, writes
 *   fail with the same message, and the metatable is hidden.
 * - An element is built by the host with the memory cap lifted (the host's allocation is not the
 *   rule's) and moved to the thread that read it.
 * - Built elements are cached for the call, weakly when the spec asks (then rebuilt if dropped);
 *   the host keeps the spec's context alive while the proxy is reachable.
 */
#include "ShimInternal.h"

/* Lazy read-only collections: a proxy whose elements the host builds on first read, so that a
 * class-level rule over a large roster holds only the students it touches. Built elements are
 * cached: for a large roster weakly (the collector may drop one that no rule holds, and it is
 * built again), for a small one for the whole call. */

static int lazy_newindex(lua_State *L) {
    return trellis_readonly_newindex(L);
}

static TrellisLazySpec *lazy_spec(lua_State *L) {
    return (TrellisLazySpec *)lua_touserdata(L, lua_upvalueindex(1));
}

/* Pushes element `index` (1-based, in range): for a map its key then its value, for a list its
 * value. Values come from the cache (upvalue 2) or from the host, with the memory cap lifted
 * while the host builds (what the engine hands a rule is not the rule's allocation). */
static int lazy_push(lua_State *L, TrellisLazySpec *spec, lua_Integer index) {
    TrellisControl *control = control_of(L);
    if (spec->find) spec->key(spec->context, L, index);
    if (lua_rawgeti(L, lua_upvalueindex(2), index) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    int enforced = control->memory_enforced;
    control->memory_enforced = 0;
    int pushed = spec->load(spec->context, L, index);
    control->memory_enforced = enforced;
    if (!pushed) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, -1);
    lua_rawseti(L, lua_upvalueindex(2), index);
    return 1;
}

static lua_Integer lazy_index_of(lua_State *L, TrellisLazySpec *spec, int key) {
    if (spec->find) return spec->find(spec->context, L, key);
    int is_integer = 0;
    lua_Integer index = lua_tointegerx(L, key, &is_integer);
    return is_integer && index >= 1 && index <= spec->count ? index : 0;
}

static int lazy_index(lua_State *L) {
    TrellisLazySpec *spec = lazy_spec(L);
    lua_Integer index = lazy_index_of(L, spec, 2);
    if (index == 0) {
        lua_pushnil(L);
        return 1;
    }
    lazy_push(L, spec, index);
    if (spec->find) lua_remove(L, -2); /* the key */
    return 1;
}

static int lazy_len(lua_State *L) {
    TrellisLazySpec *spec = lazy_spec(L);
    lua_pushinteger(L, spec->find ? 0 : spec->count);
    return 1;
}

/* Pushes the element after the one whose key is at `key` (and, for a list, its index first);
 * returns the values pushed: 2, or 1 (nil) at the end. Element reads go through lazy_push, which
 * takes the spec and cache from the running function's upvalues 1 and 2. */
static int lazy_next_from(lua_State *L, TrellisLazySpec *spec, int key) {
    lua_Integer index = lua_isnil(L, key) ? 1 : lazy_index_of(L, spec, key) + 1;
    if (index <= 1 && !lua_isnil(L, key)) index = spec->count + 1; /* an unknown key: stop */
    if (index > spec->count) {
        lua_pushnil(L);
        return 1;
    }
    if (!spec->find) lua_pushinteger(L, index);
    lazy_push(L, spec, index);
    return 2;
}

/* The iterator of pairs: element after the one whose key is at 2. */
static int lazy_next(lua_State *L) {
    return lazy_next_from(L, lazy_spec(L), 2);
}

/* next(proxy, key) over a lazy collection, as its pairs would give it: runs lazy_next as a
 * closure over the collection's spec and cache. Returns 0 (nothing pushed) for any other table. */
int trellis_lazy_next_of_proxy(lua_State *L) {
    if (!lua_getmetatable(L, 1)) return 0;
    lua_pushliteral(L, "__newindex");
    int is_lazy = lua_rawget(L, -2) == LUA_TFUNCTION && lua_tocfunction(L, -1) == lazy_newindex;
    lua_pop(L, 1);
    if (!is_lazy) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2); /* lazy_index, whose upvalues are the spec and the cache */
    lua_getupvalue(L, -1, 1);
    lua_getupvalue(L, -2, 2);
    lua_pushcclosure(L, lazy_next, 2);
    lua_replace(L, -3);
    lua_pop(L, 1);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 2);
    if (lua_isnil(L, -2)) lua_pop(L, 1);
    return 1;
}

static int lazy_pairs(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushcclosure(L, lazy_next, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* A lazy collection; with `anchor` (a stack index, or 0), the value there is kept alive with it
 * (what the spec's context points into). */
void trellis_push_lazy_anchored(lua_State *L, const TrellisLazySpec *spec, int anchor) {
    if (anchor) anchor = lua_absindex(L, anchor);
    lua_createtable(L, 0, 0); /* the proxy */
    lua_createtable(L, 0, 6); /* its metatable */
    TrellisLazySpec *copy = (TrellisLazySpec *)lua_newuserdatauv(L, sizeof(TrellisLazySpec), anchor ? 1 : 0);
    *copy = *spec;
    if (anchor) {
        lua_pushvalue(L, anchor);
        lua_setiuservalue(L, -2, 1);
    }
    lua_createtable(L, 0, 0); /* the cache, weak in its values when asked */
    if (spec->weak) {
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "v");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
    }
    /* stack: proxy, mt, spec, cache */
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, lazy_index, 2);
    lua_setfield(L, -4, "__index");
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, lazy_pairs, 2);
    lua_setfield(L, -4, "__pairs");
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, lazy_len, 1);
    lua_setfield(L, -4, "__len");
    lua_pop(L, 2);
    lua_pushcfunction(L, lazy_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

void trellis_push_lazy(lua_State *L, const TrellisLazySpec *spec) {
    trellis_push_lazy_anchored(L, spec, 0);
}
