#include "CLuaShim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often the count hook runs, in VM instructions. The budget is checked at this grain. */
#define TRELLIS_HOOK_GRAIN 1000

static TrellisControl *control_of(lua_State *L) {
    return *(TrellisControl **)lua_getextraspace(L);
}

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
        if (control->memory_used > control->memory_limit
            || growth > control->memory_limit - control->memory_used) {
            control->memory_exceeded = 1;
            return NULL;
        }
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
    lua_atpanic(L, trellis_panic);
    return L;
}

static int open_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 0);
    return 0;
}

int trellis_open_rule_libraries(lua_State *L) {
    lua_pushcfunction(L, open_libraries);
    return lua_pcall(L, 0, 0, 0);
}

/* Once the budget is spent the hook fires on every instruction, so a rule that catches the
 * error with pcall (or in a coroutine) cannot run on: each next instruction fails again. */
static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    TrellisControl *control = control_of(L);
    if (!control->budget_exhausted) {
        control->instructions_left -= TRELLIS_HOOK_GRAIN;
        if (control->instructions_left > 0) return;
        control->budget_exhausted = 1;
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    }
    luaL_error(L, "instruction budget exceeded (%I instructions)", (lua_Integer)control->instruction_limit);
}

void trellis_begin_guarded(lua_State *L) {
    TrellisControl *control = control_of(L);
    control->memory_exceeded = 0;
    control->budget_exhausted = 0;
    control->instructions_left = control->instruction_limit;
    control->memory_enforced = control->memory_limit > 0;
    if (control->instruction_limit > 0) {
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, TRELLIS_HOOK_GRAIN);
    }
}

void trellis_end_guarded(lua_State *L) {
    TrellisControl *control = control_of(L);
    control->memory_enforced = 0;
    lua_sethook(L, NULL, 0, 0);
}

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

/* file:line of the innermost Lua function on the stack, or nil. */
static void push_location(lua_State *L) {
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) continue;
        if (ar.currentline <= 0) continue;
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

/* Leaves the rule table at the top of the stack. Expects the chunk at 1 and the metatable at 2. */
static void build_rule_table(lua_State *L) {
    lua_pushvalue(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, 2);
    lua_setmetatable(L, -2);
    /* A main chunk's only upvalue is _ENV: a fresh table gives the rule fresh globals. */
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
    lua_call(L, 0, 1);
    if (lua_type(L, -1) != LUA_TTABLE) {
        luaL_error(L, "the rule file must return a table (it returned %s)", luaL_typename(L, -1));
    }
}

int trellis_load_rule(lua_State *L) {
    lua_settop(L, 2);
    build_rule_table(L);
    return 1;
}

int trellis_run_rule(lua_State *L) {
    lua_settop(L, 4);
    build_rule_table(L);
    lua_pushliteral(L, "evaluate");
    if (lua_rawget(L, -2) != LUA_TFUNCTION) {
        luaL_error(L, "the rule table has no evaluate function");
    }
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    lua_call(L, 2, 1);
    return 1;
}
