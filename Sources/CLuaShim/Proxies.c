/*
 * Read-only input: regular proxies (an empty table whose metatable points at the real table),
 * light proxies (one table and a shared metatable, nested tables sealed on first read), the pool
 * that recycles a student's proxies for the next, and `next`/`pairs` that see through them.
 *
 * Invariants kept here:
 * - Nothing writable is reachable from a proxy: tables are sealed bottom-up (regular proxies), or
 *   a nested table is sealed before any rule can see it (light proxies).
 * - A proxy is recognised by one raw lookup of a key no rule can make (`proxy_backing_key`, a
 *   light userdata); rules never see a proxy's metatable, so they cannot forge one.
 * - Reading through a proxy never runs rule code and never reveals the real table to a rule
 *   (only the helper library receives trellis_input_table).
 * - The pool hands back proxies in the order they were made, only between begin and end, and
 *   only for input nothing keeps past the next begin; at most TRELLIS_PROXY_POOL_MAX are kept.
 */
#include "ShimInternal.h"

/* Read-only proxies. Each proxy is an empty table whose own metatable holds the real table as
 * __index (so reads take the VM's fast path) and these shared functions. A proxy is recognised by
 * its __newindex being trellis_readonly_newindex: rules never see that function (the metatable is
 * hidden), so they cannot forge a proxy. */

int trellis_readonly_newindex(lua_State *L) {
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    luaL_where(L, 1);
    if (key) {
        lua_pushfstring(L, "cannot set field '%s': the student and ctx are read-only", key);
    } else {
        lua_pushfstring(L, "cannot set a %s key: the student and ctx are read-only", luaL_typename(L, 2));
    }
    lua_concat(L, 2);
    return lua_error(L);
}

/* Light proxies hold their table under the address of this byte: a light userdata, which no
 * rule can make, so no rule can index it (and `next`, the one way to find it, is wrapped). */
static const char light_backing_key = 0;
static const char light_metatable_key = 0;

/* A proxy's metatable also holds its real table under the address of this byte (true in the
 * light proxies' shared metatable): one raw lookup by a key no rule can make recognises a proxy
 * and finds its table, where comparing __newindex and reading __index took two lookups by
 * string. Rules never see a proxy's metatable, so they cannot forge the key. */
static const char proxy_backing_key = 0;


/* A light proxy's table is built raw all the way down: its nested tables are sealed when they are
 * first read (a class-level rule reads a few of a student's two hundred tables). With the real
 * table at `real` and the value just read from it under the key at `key` on top: a table without
 * a metatable is one of those raw tables, and is replaced, in the real table and on the stack, by
 * a light proxy of its own before any rule can see it. Proxies have metatables; input tables have
 * none. The proxy is the engine's allocation, not the rule's: the memory cap is lifted for it. */
static void seal_on_read(lua_State *L, int real, int key) {
    if (lua_type(L, -1) != LUA_TTABLE) return;
    if (lua_getmetatable(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    TrellisControl *control = control_of(L);
    int enforced = control->memory_enforced;
    control->memory_enforced = 0;
    trellis_push_light_proxy(L);
    control->memory_enforced = enforced;
    lua_replace(L, -2);
    lua_pushvalue(L, key);
    lua_pushvalue(L, -2);
    lua_rawset(L, real);
}

static int light_index(lua_State *L) {
    lua_settop(L, 2);
    lua_rawgetp(L, 1, &light_backing_key);      /* 3 */
    lua_pushvalue(L, 2);
    lua_rawget(L, 3);
    seal_on_read(L, 3, 2);
    return 1;
}

#define REGULAR_PROXY 1
#define LIGHT_PROXY 2

/* Pushes the real table behind the proxy at idx and returns REGULAR_PROXY or LIGHT_PROXY, or
 * pushes nothing and returns 0 when the value is not one of the engine's proxies. Never runs a
 * metamethod. */
static int push_backing_of(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return 0;
    int type = lua_rawgetp(L, -1, &proxy_backing_key);
    if (type == LUA_TTABLE) {
        lua_remove(L, -2);
        return REGULAR_PROXY;
    }
    lua_pop(L, 2);
    if (type == LUA_TBOOLEAN) {
        if (lua_rawgetp(L, idx, &light_backing_key) == LUA_TTABLE) return LIGHT_PROXY;
        lua_pop(L, 1);
    }
    return 0;
}

/* The real table behind the proxy at index 1, pushed; an error for anything else. */
static void push_backing(lua_State *L) {
    if (!push_backing_of(L, 1)) luaL_error(L, "not a read-only input table");
}

/* Only ever the __len of a proxy's metatable, which no rule can reach: index 1 is a proxy. */
static int readonly_len(lua_State *L) {
    lua_getmetatable(L, 1);
    if (lua_rawgetp(L, -1, &proxy_backing_key) != LUA_TTABLE) {
        lua_settop(L, 1);
        push_backing(L);
    }
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* next() over the proxy's table, taking the proxy: the table itself never reaches the rule (its
 * nested tables are proxies too). Over any other table, Lua's own next. */

int trellis_safe_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (trellis_lazy_next_of_proxy(L)) return lua_gettop(L) - 2;
    int kind = push_backing_of(L, 1);
    if (kind) lua_replace(L, 1);
    if (lua_next(L, 1)) {
        /* A light proxy's nested tables may still be raw (see seal_on_read); a regular proxy's
         * are proxies, and a rule's own table holds what it holds. */
        if (kind == LIGHT_PROXY) seal_on_read(L, 1, lua_gettop(L) - 1);
        return 2;
    }
    lua_pushnil(L);
    return 1;
}

/* pairs for rules, as the base library's (a __pairs metamethod is honoured) except that a table
 * without one is walked by trellis_safe_next, never by Lua's own next: the raw next would hand a
 * rule the hidden key of a light proxy and the real, writable table behind it. */
static int safe_pairs_continued(lua_State *L, int status, lua_KContext context) {
    (void)L;
    (void)status;
    (void)context;
    return 3;
}

int trellis_safe_pairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") == LUA_TNIL) {
        lua_pushcfunction(L, trellis_safe_next);
        lua_pushvalue(L, 1);
        lua_pushnil(L);
    } else {
        /* With a continuation, as the base library's: a __pairs may yield. */
        lua_pushvalue(L, 1);
        lua_callk(L, 1, 3, 0, safe_pairs_continued);
    }
    return 3;
}

/* For the helper library alone (sandbox.lua gives it to no rule): the real table behind a
 * read-only proxy, else the value itself. The helpers' loops read through it without a
 * metamethod per read; they hand rules only its elements, which are proxies themselves. */
int trellis_input_table(lua_State *L) {
    /* Regular proxies only: a light proxy's nested tables may still be raw (see seal_on_read),
     * and the helpers would hand those out. Its reads seal them. */
    if (lua_getmetatable(L, 1) && lua_rawgetp(L, -1, &proxy_backing_key) == LUA_TTABLE) return 1;
    lua_settop(L, 1);
    return 1;
}

static int readonly_pairs(lua_State *L) {
    lua_pushcfunction(L, trellis_safe_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Pushes a proxy metatable whose __index is the value at `index_value`: the table itself for a
 * proxy, light_index for the light proxies' shared metatable. */
static void push_proxy_metatable(lua_State *L, int index_value) {
    lua_createtable(L, 0, 6);
    lua_pushliteral(L, "__index");
    lua_pushvalue(L, index_value);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__newindex");
    lua_pushcfunction(L, trellis_readonly_newindex);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__len");
    lua_pushcfunction(L, readonly_len);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__pairs");
    lua_pushcfunction(L, readonly_pairs);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__metatable");
    lua_pushboolean(L, 0);
    lua_rawset(L, -3);
    if (lua_type(L, index_value) == LUA_TTABLE) {
        lua_pushvalue(L, index_value);
    } else {
        lua_pushboolean(L, 1);
    }
    lua_rawsetp(L, -2, &proxy_backing_key);
}

/* A new proxy for the table at the top of the stack, pushed above it. */
static void push_new_proxy(lua_State *L) {
    int real = lua_gettop(L);
    lua_createtable(L, 0, 0);
    push_proxy_metatable(L, real);
    lua_setmetatable(L, -2);
}

/* A light proxy for the table at the top of the stack, pushed above it. */
void trellis_push_light_proxy(lua_State *L) {
    int real = lua_gettop(L);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, real);
    lua_rawsetp(L, -2, &light_backing_key);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &light_metatable_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_pushcfunction(L, light_index);
        push_proxy_metatable(L, lua_gettop(L));
        lua_remove(L, -2);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &light_metatable_key);
    }
    lua_setmetatable(L, -2);
}

void trellis_light_proxies(lua_State *L, int enabled) {
    control_of(L)->light_proxies = enabled;
}

void trellis_seal_light(lua_State *L) {
    trellis_push_light_proxy(L);
    lua_replace(L, -2);
}

/* The pool keeps at most this many proxies: enough for a student of several thousand sessions;
 * a larger one gets fresh proxies beyond it. */
#define TRELLIS_PROXY_POOL_MAX 8192

void trellis_proxy_pool_begin(lua_State *L) {
    TrellisControl *control = control_of(L);
    if (control->proxy_pool_ref == 0) {
        lua_createtable(L, 256, 0);
        control->proxy_pool_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    control->proxy_pool_cursor = 0;
    control->proxy_pool_active = 1;
}

void trellis_proxy_pool_end(lua_State *L) {
    control_of(L)->proxy_pool_active = 0;
}

void trellis_make_readonly(lua_State *L) {
    TrellisControl *control = control_of(L);
    /* Left raw: trellis_seal_light wraps the outermost table, and reads seal the rest. */
    if (control->light_proxies) return;
    if (!control->proxy_pool_active || control->proxy_pool_cursor >= TRELLIS_PROXY_POOL_MAX) {
        push_new_proxy(L);
        lua_replace(L, -2);
        return;
    }
    int real = lua_gettop(L);
    int slot = ++control->proxy_pool_cursor;
    lua_rawgeti(L, LUA_REGISTRYINDEX, control->proxy_pool_ref);
    if (lua_rawgeti(L, -1, slot) == LUA_TTABLE) {
        /* real, pool, proxy: point the recycled proxy's metatable at the new table */
        lua_getmetatable(L, -1);
        lua_pushliteral(L, "__index");
        lua_pushvalue(L, real);
        lua_rawset(L, -3);
        lua_pushvalue(L, real);
        lua_rawsetp(L, -2, &proxy_backing_key);
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        lua_pushvalue(L, real);
        push_new_proxy(L);      /* real, pool, real, proxy */
        lua_replace(L, -2);     /* real, pool, proxy */
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, slot);
    }
    lua_replace(L, real);
    lua_settop(L, real);
}

void trellis_push_unwrapped(lua_State *L, int idx) {
    if (!push_backing_of(L, idx)) lua_pushvalue(L, idx);
}
