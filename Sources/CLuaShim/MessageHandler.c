/*
 * The message handler every protected call into rule code runs under (stack slot 1).
 *
 * Invariants kept here:
 * - It never raises: any error value (a table with a __tostring that fails, a number, nil) becomes
 *   `{ message, location, traceback }` with a string message.
 * - The location names the innermost function outside the engine's own Lua (chunks named
 *   `@trellis/...`), so an error inside a helper points at the rule's line that called it.
 */
#include "ShimInternal.h"

#include <string.h>

static int tostring_of_first(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

/* The error value's text, never raising: a failing __tostring becomes a description. */
static void push_error_text(lua_State *L, int value) {
    int type = lua_type(L, value);
    if (type == LUA_TSTRING) {
        lua_pushvalue(L, value);
        return;
    }
    if (type == LUA_TNUMBER) {
        lua_pushfstring(L, "%s", lua_tostring(L, value) ? lua_tostring(L, value) : "?");
        return;
    }
    if (luaL_getmetafield(L, value, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushcfunction(L, tostring_of_first);
        lua_pushvalue(L, value);
        if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) return;
        lua_pop(L, 1);
        lua_pushfstring(L, "error value is a %s whose __tostring failed", luaL_typename(L, value));
        return;
    }
    if (type == LUA_TNIL) {
        lua_pushliteral(L, "error raised with a nil value");
        return;
    }
    lua_pushfstring(L, "error raised with a %s value", luaL_typename(L, value));
}

/* file:line of the innermost Lua function on the stack outside the engine's own chunks, or nil. */
static void push_location(lua_State *L) {
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) continue;
        if (ar.currentline <= 0) continue;
        if (strncmp(ar.source, "@trellis/", 9) == 0) continue;
        const char *source = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
        lua_pushfstring(L, "%s:%d", source, ar.currentline);
        return;
    }
    lua_pushnil(L);
}

int trellis_message_handler(lua_State *L) {
    int value = 1;
    lua_createtable(L, 0, 3);
    int result = lua_gettop(L);
    push_error_text(L, value);
    lua_setfield(L, result, "message");
    push_location(L);
    lua_setfield(L, result, "location");
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, result, "traceback");
    return 1;
}
