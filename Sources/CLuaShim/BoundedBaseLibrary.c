/*
 * xpcall and coroutine.create, resume, wrap and close for rule code: Lua 5.4.4's own (lbaselib.c,
 * lcorolib.c), changed where the limits need it.
 * - xpcall: when a limit stops a rule, Lua calls xpcall's message handler from inside the hook,
 *   where hooks are off, so a handler that loops would never be stopped: past a limit the rule's
 *   handler is not called, and the limit's message goes through as it is.
 * - coroutines: each resume (and close, which runs a coroutine's pending __close) is charged a
 *   hook grain and hooks the coroutine before it runs (trellis_enter_coroutine), and the shim
 *   records which thread runs, so that the watchdog can stop that thread at the deadline.
 * Everything else, the argument checks and messages included, is Lua's.
 *
 * Copied from Lua 5.4.4 (src/lbaselib.c, src/lcorolib.c), under this notice:
 *
 * Copyright (C) 1994-2022 Lua.org, PUC-Rio.
 *
 * Permission is hereby granted, free of charge, to any person obtaining
 * a copy of this software and associated documentation files (the
 * "Software"), to deal in the Software without restriction, including
 * without limitation the rights to use, copy, modify, merge, publish,
 * distribute, sublicense, and/or sell copies of the Software, and to
 * permit persons to whom the Software is furnished to do so, subject to
 * the following conditions:
 *
 * The above copyright notice and this permission notice shall be
 * included in all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
 * EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
 * MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
 * IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY
 * CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,
 * TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
 * SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 */

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "BoundedLibraries.h"

/* Continuation function for 'xpcall': it already pushed a 'true' before doing the call, so in
 * case of success it only has to return everything in the stack minus 'extra' values. */
static int finishpcall(lua_State *L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) { /* error? */
        lua_pushboolean(L, 0);                      /* first result (false) */
        lua_pushvalue(L, -2);                       /* error message */
        return 2;                                   /* return false, msg */
    } else
        return lua_gettop(L) - (int)extra; /* return all results */
}

/* The rule's message handler (upvalue 1), not called once a limit is reached. */
static int limited_handler(lua_State *L) {
    lua_settop(L, 1);
    if (trellis_limits_reached(L)) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* Do a protected call with error handling. After 'lua_rotate', the stack will have
 * <f, err, true, f, [args...]>; so, the function passes 2 to 'finishpcall' to skip the 2 first
 * values when returning results. */
static int bounded_xpcall(lua_State *L) {
    int status;
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION); /* check error function */
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, limited_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1); /* first result */
    lua_pushvalue(L, 1);   /* function */
    lua_rotate(L, 3, 2);   /* move them below function's arguments */
    status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finishpcall);
    return finishpcall(L, status, 2);
}

static lua_State *getco(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "thread");
    return co;
}

/* Resumes a coroutine. Returns the number of results for non-error cases or -1 for errors. */
static int auxresume(lua_State *L, lua_State *co, int narg) {
    int status, nres;
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1; /* error flag */
    }
    trellis_enter_coroutine(L, co);
    lua_xmove(L, co, narg);
    status = lua_resume(co, L, narg, &nres);
    trellis_leave_coroutine(L);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres); /* remove results anyway */
            lua_pushliteral(L, "too many results to resume");
            return -1; /* error flag */
        }
        lua_xmove(co, L, nres); /* move yielded values */
        return nres;
    } else {
        lua_xmove(co, L, 1); /* move error message */
        return -1;           /* error flag */
    }
}

static int bounded_coresume(lua_State *L) {
    lua_State *co = getco(L);
    int r;
    r = auxresume(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2; /* return false + error message */
    } else {
        lua_pushboolean(L, 1);
        lua_insert(L, -(r + 1));
        return r + 1; /* return true + 'resume' returns */
    }
}

/* lua_resetthread runs the coroutine's pending __close metamethods, on the coroutine. */
static int resetthread(lua_State *L, lua_State *co) {
    trellis_enter_coroutine(L, co);
    int status = lua_resetthread(co);
    trellis_leave_coroutine(L);
    return status;
}

static int bounded_auxwrap(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = auxresume(L, co, lua_gettop(L));
    if (r < 0) { /* error? */
        int stat = lua_status(co);
        if (stat != LUA_OK && stat != LUA_YIELD) { /* error in the coroutine? */
            stat = resetthread(L, co);             /* close its tbc variables */
            lua_xmove(co, L, 1);                   /* move error message to the caller */
        }
        if (stat != LUA_ERRMEM &&                 /* not a memory error and ... */
            lua_type(L, -1) == LUA_TSTRING) {     /* ... error object is a string? */
            luaL_where(L, 1);                     /* add extra info, if available */
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L); /* propagate error */
    }
    return r;
}

static int bounded_cocreate(lua_State *L) {
    lua_State *NL;
    luaL_checktype(L, 1, LUA_TFUNCTION);
    NL = lua_newthread(L);
    lua_pushvalue(L, 1); /* move function to top */
    lua_xmove(L, NL, 1); /* move function from L to NL */
    return 1;
}

static int bounded_cowrap(lua_State *L) {
    bounded_cocreate(L);
    lua_pushcclosure(L, bounded_auxwrap, 1);
    return 1;
}

#define COS_RUN 0
#define COS_DEAD 1
#define COS_YIELD 2
#define COS_NORM 3

static const char *const statname[] = {"running", "dead", "suspended", "normal"};

static int auxstatus(lua_State *L, lua_State *co) {
    if (L == co)
        return COS_RUN;
    else {
        switch (lua_status(co)) {
        case LUA_YIELD:
            return COS_YIELD;
        case LUA_OK: {
            lua_Debug ar;
            if (lua_getstack(co, 0, &ar)) /* does it have frames? */
                return COS_NORM;           /* it is running */
            else if (lua_gettop(co) == 0)
                return COS_DEAD;
            else
                return COS_YIELD; /* initial state */
        }
        default: /* some error occurred */
            return COS_DEAD;
        }
    }
}

static int bounded_coclose(lua_State *L) {
    lua_State *co = getco(L);
    int status = auxstatus(L, co);
    switch (status) {
    case COS_DEAD:
    case COS_YIELD: {
        status = resetthread(L, co);
        if (status == LUA_OK) {
            lua_pushboolean(L, 1);
            return 1;
        } else {
            lua_pushboolean(L, 0);
            lua_xmove(co, L, 1); /* move error message */
            return 2;
        }
    }
    default: /* normal or running coroutine */
        return luaL_error(L, "cannot close a %s coroutine", statname[status]);
    }
}

void trellis_install_bounded_base(lua_State *L) {
    static const luaL_Reg coroutine_functions[] = {
        {"create", bounded_cocreate}, {"resume", bounded_coresume}, {"wrap", bounded_cowrap}, {"close", bounded_coclose}, {NULL, NULL},
    };
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, LUA_COLIBNAME);
    luaL_setfuncs(L, coroutine_functions, 0);
    lua_pop(L, 1);
    lua_getfield(L, -1, LUA_GNAME);
    lua_pushcfunction(L, bounded_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_pop(L, 2);
}
