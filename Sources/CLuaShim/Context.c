/*
 * The functions of a rule's `ctx`: `ctx.log` (kept only when the host asks) and `ctx.emit` (a
 * class-level rule's items handed to the host as they are made).
 *
 * Invariants kept here:
 * - `ctx.log` keeps at most TRELLIS_LOG_MESSAGES messages of TRELLIS_LOG_BYTES per rule call, and
 *   nothing at all (not even the conversion to text) when `log_enabled` is off.
 * - The host's emit callback runs with the memory cap lifted and returns a message instead of
 *   raising; the error is raised here, once the host's frame has returned.
 * - `ctx.emit` outside a class-level call (no callback set) is an error, never a silent drop.
 */
#include "ShimInternal.h"

#include <string.h>

/* The registry key of ctx.log's list. */
static const char trellis_log_key = 'L';

int trellis_log(lua_State *L) {
    TrellisControl *control = control_of(L);
    if (!control->log_enabled) return 0;
    int count = lua_gettop(L);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &trellis_log_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &trellis_log_key);
    }
    int log = lua_gettop(L);
    lua_Integer kept = (lua_Integer)lua_rawlen(L, log);
    if (kept > TRELLIS_LOG_MESSAGES) return 0;
    if (kept == TRELLIS_LOG_MESSAGES) {
        lua_pushliteral(L, "(more ctx.log messages left out: a rule keeps at most 100 a call)");
        lua_rawseti(L, log, kept + 1);
        return 0;
    }
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    for (int index = 1; index <= count; index++) {
        if (index > 1) luaL_addchar(&buffer, ' ');
        luaL_tolstring(L, index, NULL); /* __tostring runs here, as rule code, under the limits */
        luaL_addvalue(&buffer);
    }
    luaL_pushresult(&buffer);
    size_t size;
    const char *text = lua_tolstring(L, -1, &size);
    if (size > TRELLIS_LOG_BYTES) {
        lua_pushlstring(L, text, TRELLIS_LOG_BYTES);
        lua_pushliteral(L, "...");
        lua_concat(L, 2);
    }
    lua_rawseti(L, log, kept + 1);
    return 0;
}

void trellis_take_log(lua_State *L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &trellis_log_key) == LUA_TTABLE && lua_rawlen(L, -1) == 0) {
        lua_pop(L, 1);
        lua_pushnil(L);
        return;
    }
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &trellis_log_key);
}

int trellis_emit(lua_State *L) {
    TrellisControl *control = control_of(L);
    if (control->emit_callback == NULL) {
        return luaL_error(L, "ctx.emit is for evaluate_class; evaluate returns its recommendations");
    }
    if (lua_type(L, 1) != LUA_TTABLE) {
        return luaL_error(L, "ctx.emit takes a recommendation or a note (a table), not a %s", luaL_typename(L, 1));
    }
    lua_settop(L, 1);
    luaL_checkstack(L, 40, "ctx.emit");
    /* What the host copies out is not the rule's allocation (as for lazy elements). */
    int enforced = control->memory_enforced;
    control->memory_enforced = 0;
    int accepted = control->emit_callback(control->emit_context, L, 1);
    control->memory_enforced = enforced;
    if (!accepted) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    return 0;
}
