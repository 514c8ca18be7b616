/*
 * Running a rule file: a fresh environment per call, `evaluate`/`evaluate_class`, and the reuse
 * cache that skips running the file again when the rule's state provably cannot change; also the
 * sandbox's registration of shared functions and read-only tables, and `setmetatable` for rules.
 *
 * Invariants kept here:
 * - A rule never carries state from one call to the next: either its file runs afresh with a new
 *   `_ENV`, or its cached `evaluate` is used only while no global was set and every upvalue
 *   reachable from it holds an immutable value equal to the one it held when the file ran
 *   (checked after every call; the first failure or error drops the cache entry).
 * - Every entry point here runs inside lua_pcall (the host calls them protected), so their errors
 *   never cross a Swift frame.
 * - Rules cannot set a metatable with `__gc`: no finalizer of theirs runs outside their call.
 */
#include "ShimInternal.h"

#include <string.h>

/* Runs the rule chunk (1) in a fresh environment whose metatable is 2; leaves the rule table on
 * the stack, and the environment just below it when keep_env is set. */
static void build_rule_table(lua_State *L, int keep_env) {
    lua_pushvalue(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, 2);
    lua_setmetatable(L, -2);
    if (keep_env) {
        lua_pushvalue(L, -1);
        lua_insert(L, -3);     /* env, chunk, env */
    }
    /* A main chunk's only upvalue is _ENV: a fresh table gives the rule fresh globals. */
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
    lua_call(L, 0, 1);
    if (lua_type(L, -1) != LUA_TTABLE) {
        luaL_error(L, "the rule file must return a table (it returned %s)", luaL_typename(L, -1));
    }
}

int trellis_load_rule(lua_State *L) {
    lua_settop(L, 2);
    build_rule_table(L, 0);
    return 1;
}

/* Reusing a rule's evaluate between students. Running the rule file afresh for every student
 * is what keeps its globals and module-level locals from carrying state; it costs the file's
 * top-level code each time (tens of thousands of instructions for a rule that declares its
 * parameters). It can be skipped, with the same guarantee, for a rule whose state provably
 * cannot change: no global was set (its environment is still empty), and every upvalue
 * reachable from evaluate through the rule's own closures holds a value that cannot be changed
 * in place (nil, a boolean, a number, a string, a C function without upvalues, one of the
 * sandbox's shared functions and read-only tables) and still holds the value it held when the
 * file ran. Functions the engine makes while a rule runs (coroutine.wrap's) are walked like
 * the rule's own. That is checked after every call; the first call that fails the check (or
 * raises an error) sends the rule back to running afresh. */

static const char reuse_cache_key = 0;   /* registry: chunk -> { evaluate, env, snapshot } */
static const char shared_functions_key = 0; /* registry: set of the sandbox's shared functions */

#define TRELLIS_REUSE_MAX_CLOSURES 32
#define TRELLIS_REUSE_MAX_VALUES 256

/* Registers its argument, a function of the sandbox that every rule shares (the libraries, the
 * helpers), as holding no rule's state. Called by sandbox.lua once per state. */
int trellis_register_shared(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &shared_functions_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &shared_functions_key);
    }
    lua_pushvalue(L, 1);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_settop(L, 1);
    return 1;
}

/* Marks the metatable given as that of one of the sandbox's read-only tables (the libraries,
 * `trellis`, `trellis.constant` copies): a key rules cannot name, so they cannot forge it.
 * Returns the metatable. */
static const char read_only_mark = 0;

int trellis_mark_read_only(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushboolean(L, 1);
    lua_rawsetp(L, 1, &read_only_mark);
    lua_settop(L, 1);
    return 1;
}

/* Whether the table at the top of the stack is one of the sandbox's read-only tables. */
static int is_read_only_table(lua_State *L) {
    if (!lua_getmetatable(L, -1)) return 0;
    int marked = lua_rawgetp(L, -1, &read_only_mark) == LUA_TBOOLEAN;
    lua_pop(L, 2);
    return marked;
}

typedef struct {
    int env;                /* stack index of the rule's environment */
    int shared;             /* stack index of the set of shared functions */
    int snapshot;           /* stack index of the snapshot list */
    int compare;            /* 0: record the values; 1: compare them */
    int count;              /* values visited so far */
    int closures;
    const void *visited[TRELLIS_REUSE_MAX_CLOSURES];
} UpvalueWalk;

/* Whether the function at the top of the stack is one of the sandbox's shared functions. */
static int is_shared(lua_State *L, int shared) {
    lua_pushvalue(L, -1);
    int registered = lua_rawget(L, shared) == LUA_TBOOLEAN;
    lua_pop(L, 1);
    return registered;
}

/* Walks the upvalues of the Lua function at idx (one of the rule's own). Returns 0 as soon as a
 * value could carry state, or (comparing) differs from the snapshot. */
static int walk_upvalues(lua_State *L, int idx, UpvalueWalk *walk) {
    idx = lua_absindex(L, idx);
    const void *self = lua_topointer(L, idx);
    for (int i = 0; i < walk->closures; i++) {
        if (walk->visited[i] == self) return 1;
    }
    if (walk->closures == TRELLIS_REUSE_MAX_CLOSURES || !lua_checkstack(L, 4)) return 0;
    walk->visited[walk->closures++] = self;
    for (int n = 1; lua_getupvalue(L, idx, n) != NULL; n++) {
        int ok = 1;
        switch (lua_type(L, -1)) {
        case LUA_TNIL: case LUA_TBOOLEAN: case LUA_TNUMBER: case LUA_TSTRING:
            break;
        case LUA_TFUNCTION:
            if (lua_iscfunction(L, -1)) {
                /* A C closure with upvalues (coroutine.wrap's, say) holds state. */
                if (lua_getupvalue(L, -1, 1) != NULL) {
                    lua_pop(L, 1);
                    ok = 0;
                }
            } else if (!is_shared(L, walk->shared)) {
                /* The rule's own function, or one the engine made for it (coroutine.wrap's). */
                ok = walk_upvalues(L, -1, walk);
            }
            break;
        case LUA_TTABLE:
            if (!lua_rawequal(L, -1, walk->env)) ok = is_read_only_table(L);
            break;
        default:
            ok = 0;
        }
        if (ok) {
            if (++walk->count > TRELLIS_REUSE_MAX_VALUES) {
                ok = 0;
            } else if (walk->compare) {
                lua_rawgeti(L, walk->snapshot, walk->count);
                ok = lua_rawequal(L, -1, -2);
                lua_pop(L, 1);
            } else {
                lua_pushvalue(L, -1);
                lua_rawseti(L, walk->snapshot, walk->count);
            }
        }
        lua_pop(L, 1);
        if (!ok) return 0;
    }
    return 1;
}

/* With the cache entry at `entry` ({ evaluate, env, snapshot }): whether the rule's state is as
 * the file left it. Recording, it takes the snapshot instead. */
static int rule_state_unchanged(lua_State *L, int entry, int compare) {
    int top = lua_gettop(L);
    UpvalueWalk walk = { 0 };
    lua_rawgeti(L, entry, 2);
    walk.env = lua_gettop(L);
    int ok = 1;
    lua_pushnil(L);
    if (lua_next(L, walk.env)) ok = 0;    /* a global was set */
    lua_settop(L, walk.env);
    if (ok) {
        if (lua_rawgetp(L, LUA_REGISTRYINDEX, &shared_functions_key) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_newtable(L);
        }
        walk.shared = lua_gettop(L);
        lua_rawgeti(L, entry, 3);
        walk.snapshot = lua_gettop(L);
        walk.compare = compare;
        lua_rawgeti(L, entry, 1);
        ok = walk_upvalues(L, -1, &walk);
        if (ok && compare) ok = walk.count == (int)lua_rawlen(L, walk.snapshot);
    }
    lua_settop(L, top);
    return ok;
}

/* Runs the rule file afresh, then calls the function named by upvalue 1 with (input, ctx), and
 * a third argument when one is given: the student's results so far, for a rule that declares
 * `reads_results` (evaluate(student, ctx, results)). For evaluate, a rule whose state cannot
 * change is not run afresh (see above). */
static int run_rule_function(lua_State *L) {
    /* 1: chunk, 2: environment metatable, 3: input, 4: ctx, 5: results or nil */
    lua_settop(L, 5);
    int arguments = lua_isnil(L, 5) ? 2 : 3;
    const char *name = lua_tostring(L, lua_upvalueindex(1));
    int reusable = strcmp(name, "evaluate") == 0;
    int cache = 0;
    if (reusable) {
        if (lua_rawgetp(L, LUA_REGISTRYINDEX, &reuse_cache_key) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            lua_rawsetp(L, LUA_REGISTRYINDEX, &reuse_cache_key);
        }
        cache = lua_gettop(L);                          /* 6 */
        lua_pushvalue(L, 1);
        if (lua_rawget(L, cache) == LUA_TTABLE) {       /* 7: the entry */
            /* Taken out of the cache while it runs: an error leaves the rule to run afresh. */
            lua_pushvalue(L, 1);
            lua_pushnil(L);
            lua_rawset(L, cache);
            lua_rawgeti(L, 7, 1);
            for (int argument = 3; argument < 3 + arguments; argument++) lua_pushvalue(L, argument);
            lua_call(L, arguments, 1);                  /* 8: the result */
            if (rule_state_unchanged(L, 7, 1)) {
                lua_pushvalue(L, 1);
                lua_pushvalue(L, 7);
                lua_rawset(L, cache);
            }
            return 1;
        }
        lua_settop(L, 6);          /* keep the cache at 6 */
    }
    if (reusable) control_of(L)->fresh_runs++;
    build_rule_table(L, reusable);                      /* reusable: env, rule table */
    lua_pushvalue(L, lua_upvalueindex(1));
    if (lua_rawget(L, -2) != LUA_TFUNCTION) {
        luaL_error(L, "the rule table has no %s function", name);
    }
    if (!reusable) {
        for (int argument = 3; argument < 3 + arguments; argument++) lua_pushvalue(L, argument);
        lua_call(L, arguments, 1);
        return 1;
    }
    /* 7: env, 8: rule table, 9: evaluate. The entry, with its snapshot taken before the call. */
    lua_createtable(L, 3, 0);                           /* 10 */
    lua_pushvalue(L, 9);
    lua_rawseti(L, 10, 1);
    lua_pushvalue(L, 7);
    lua_rawseti(L, 10, 2);
    lua_newtable(L);
    lua_rawseti(L, 10, 3);
    int candidate = rule_state_unchanged(L, 10, 0);
    lua_pushvalue(L, 9);
    for (int argument = 3; argument < 3 + arguments; argument++) lua_pushvalue(L, argument);
    lua_call(L, arguments, 1);                          /* 11: the result */
    if (candidate && rule_state_unchanged(L, 10, 1)) {
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 10);
        lua_rawset(L, cache);
    }
    return 1;
}

/* Calls run_rule_function with the function's name as its upvalue, on the arguments given. */
static int run_named(lua_State *L, const char *name) {
    lua_pushstring(L, name);
    lua_pushcclosure(L, run_rule_function, 1);
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

int trellis_run_rule(lua_State *L) { return run_named(L, "evaluate"); }

int trellis_run_class_rule(lua_State *L) { return run_named(L, "evaluate_class"); }

/* setmetatable as the base library has it, refusing __gc: a finalizer would run whenever the
 * collector reaches it, during another student or outside every limit. In C, so that its errors
 * read as the library's own. */
int trellis_safe_setmetatable(lua_State *L) {
    int type = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
    if (type == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "__gc finalizers are not available to rules (they would run during another student)");
        }
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}
