/*
 * table.concat, insert, move, remove, sort and unpack for rule code: Lua 5.4.4's own (ltablib.c),
 * with every element read, written or compared charged to the rule's limits (trellis_charge).
 * Lua's versions loop in C over a range or over #t, which a rule's __len can make as large as it
 * likes, and read through __index chains that may end in C functions: no hook runs inside them.
 * The argument checks and messages are Lua's. One change besides the charges: sort picks its
 * pivots without the clock, so that its result does not depend on the time.
 *
 * Copied from Lua 5.4.4 (src/ltablib.c), under this notice:
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

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "BoundedLibraries.h"

#define TAB_R 1 /* read */
#define TAB_W 2 /* write */
#define TAB_L 4 /* length */
#define TAB_RW (TAB_R | TAB_W)

#define aux_getn(L, n, w) (checktab(L, n, (w) | TAB_L), luaL_len(L, n))

/* One step per element read or written: each may run metamethods, or walk an __index chain in C. */
static void geti(lua_State *L, int table, lua_Integer i) {
    trellis_charge(L, 1);
    lua_geti(L, table, i);
}

static void seti(lua_State *L, int table, lua_Integer i) {
    trellis_charge(L, 1);
    lua_seti(L, table, i);
}

static int checkfield(lua_State *L, const char *key, int n) {
    lua_pushstring(L, key);
    return (lua_rawget(L, -n) != LUA_TNIL);
}

/* Check that 'arg' either is a table or can behave like one (that is, has a metatable with the
 * required metamethods). */
static void checktab(lua_State *L, int arg, int what) {
    if (lua_type(L, arg) != LUA_TTABLE) {
        int n = 1;
        if (lua_getmetatable(L, arg) && (!(what & TAB_R) || checkfield(L, "__index", ++n))
            && (!(what & TAB_W) || checkfield(L, "__newindex", ++n)) && (!(what & TAB_L) || checkfield(L, "__len", ++n))) {
            lua_pop(L, n);
        } else {
            luaL_checktype(L, arg, LUA_TTABLE); /* force an error */
        }
    }
}

static int tinsert(lua_State *L) {
    lua_Integer pos;
    lua_Integer e = aux_getn(L, 1, TAB_RW);
    e = luaL_intop(+, e, 1); /* first empty element */
    switch (lua_gettop(L)) {
    case 2:
        pos = e;
        break;
    case 3: {
        lua_Integer i;
        pos = luaL_checkinteger(L, 2);
        /* check whether 'pos' is in [1, e] */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        for (i = e; i > pos; i--) { /* move up elements */
            geti(L, 1, i - 1);
            seti(L, 1, i); /* t[i] = t[i - 1] */
        }
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    seti(L, 1, pos); /* t[pos] = v */
    return 0;
}

static int tremove(lua_State *L) {
    lua_Integer size = aux_getn(L, 1, TAB_RW);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) /* validate 'pos' if given */
        /* check whether 'pos' is in [1, size + 1] */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
    geti(L, 1, pos); /* result = t[pos] */
    for (; pos < size; pos++) {
        geti(L, 1, pos + 1);
        seti(L, 1, pos); /* t[pos] = t[pos + 1] */
    }
    lua_pushnil(L);
    seti(L, 1, pos); /* remove entry t[pos] */
    return 1;
}

/* Copy elements (1[f], ..., 1[e]) into (tt[t], tt[t+1], ...). Whenever possible, copy in
 * increasing order, which is better for rehashing. "possible" means destination after original
 * range, or smaller than origin, or copying to another table. */
static int tmove(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1; /* destination table */
    checktab(L, 1, TAB_R);
    checktab(L, tt, TAB_W);
    if (e >= f) { /* otherwise, nothing to move */
        lua_Integer n, i;
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        n = e - f + 1; /* number of elements to move */
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (i = 0; i < n; i++) {
                geti(L, 1, f + i);
                seti(L, tt, t + i);
            }
        } else {
            for (i = n - 1; i >= 0; i--) {
                geti(L, 1, f + i);
                seti(L, tt, t + i);
            }
        }
    }
    lua_pushvalue(L, tt); /* return destination table */
    return 1;
}

static void addfield(lua_State *L, luaL_Buffer *b, lua_Integer i) {
    geti(L, 1, i);
    if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1), (LUAI_UACINT)i);
    }
    luaL_addvalue(b);
}

static int tconcat(lua_State *L) {
    luaL_Buffer b;
    lua_Integer last = aux_getn(L, 1, TAB_R);
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    luaL_buffinit(L, &b);
    for (; i < last; i++) {
        addfield(L, &b, i);
        luaL_addlstring(&b, sep, lsep);
    }
    if (i == last) /* add last value (if interval was not empty) */
        addfield(L, &b, i);
    luaL_pushresult(&b);
    return 1;
}

static int tunpack(lua_State *L) {
    lua_Unsigned n;
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = luaL_opt(L, luaL_checkinteger, 3, luaL_len(L, 1));
    if (i > e) return 0; /* empty range */
    n = (lua_Unsigned)e - i; /* number of elements minus 1 (avoid overflows) */
    if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n))) return luaL_error(L, "too many results to unpack");
    for (; i < e; i++) { /* push arg[i..e - 1] (to avoid overflows) */
        geti(L, 1, i);
    }
    geti(L, 1, e); /* push last element */
    return (int)n;
}

/* Quicksort (based on 'Algorithms in MODULA-3', Robert Sedgewick; Addison-Wesley, 1993). */

typedef unsigned int IdxT;

/* Lua seeds its pivots from clock() and time() when a partition comes out badly unbalanced; a
 * rule's result must not depend on the time, so the seed here is a function of the interval. */
static unsigned int choose_seed(IdxT lo, IdxT up) {
    unsigned int seed = lo * 2654435761u ^ up * 2246822519u;
    seed ^= seed >> 15;
    return seed | 1u;
}

/* arrays larger than 'RANLIMIT' may use randomized pivots */
#define RANLIMIT 100u

static void set2(lua_State *L, IdxT i, IdxT j) {
    seti(L, 1, i);
    seti(L, 1, j);
}

/* Comparing two strings costs their common prefix, which may be megabytes long (2,000 references
 * to one long string): it is charged one step per block, found before Lua compares them. */
#define COMPARED_BLOCK 256

static void charge_comparison(lua_State *L, int a, int b) {
    int64_t steps = 1;
    if (lua_type(L, a) == LUA_TSTRING && lua_type(L, b) == LUA_TSTRING) {
        size_t la, lb;
        const char *sa = lua_tolstring(L, a, &la);
        const char *sb = lua_tolstring(L, b, &lb);
        size_t n = la < lb ? la : lb;
        size_t same = 0;
        if (sa == sb) {
            same = n;
        } else {
            while (same < n) {
                size_t block = n - same < COMPARED_BLOCK ? n - same : COMPARED_BLOCK;
                if (memcmp(sa + same, sb + same, block) != 0) break;
                same += block;
            }
        }
        steps += (int64_t)(same / COMPARED_BLOCK);
    }
    trellis_charge(L, steps);
}

/* Return true iff value at stack index 'a' is less than the value at index 'b' (according to
 * the order of the sort). */
static int sort_comp(lua_State *L, int a, int b) {
    if (lua_isnil(L, 2)) { /* no function? */
        charge_comparison(L, a, b);
        return lua_compare(L, a, b, LUA_OPLT); /* a < b */
    } else {
        int res;
        trellis_charge(L, 1);
        lua_pushvalue(L, 2);     /* push function */
        lua_pushvalue(L, a - 1); /* -1 to compensate function */
        lua_pushvalue(L, b - 2); /* -2 to compensate function and 'a' */
        lua_call(L, 2, 1);
        res = lua_toboolean(L, -1);
        lua_pop(L, 1);
        return res;
    }
}

/* Does the partition: Pivot P is at the top of the stack.
 * precondition: a[lo] <= P == a[up-1] <= a[up], so it only needs to do the partition from
 * lo + 1 to up - 2. Pos-condition: a[lo .. i - 1] <= a[i] == P <= a[i + 1 .. up]; returns 'i'. */
static IdxT partition(lua_State *L, IdxT lo, IdxT up) {
    IdxT i = lo;     /* will be incremented before first use */
    IdxT j = up - 1; /* will be decremented before first use */
    /* loop invariant: a[lo .. i] <= P <= a[j .. up] */
    for (;;) {
        /* next loop: repeat ++i while a[i] < P */
        while ((void)geti(L, 1, ++i), sort_comp(L, -1, -2)) {
            if (i == up - 1) /* a[i] < P  but a[up - 1] == P  ?? */
                luaL_error(L, "invalid order function for sorting");
            lua_pop(L, 1);
        }
        /* after the loop, a[i] >= P and a[lo .. i - 1] < P */
        /* next loop: repeat --j while P < a[j] */
        while ((void)geti(L, 1, --j), sort_comp(L, -3, -1)) {
            if (j < i) /* j < i  but  a[j] > P ?? */
                luaL_error(L, "invalid order function for sorting");
            lua_pop(L, 1);
        }
        /* after the loop, a[j] <= P and a[j + 1 .. up] >= P */
        if (j < i) { /* no elements out of place? */
            /* a[lo .. i - 1] <= P <= a[j + 1 .. i .. up] */
            lua_pop(L, 1);
            /* swap pivot (a[up - 1]) with a[i] to satisfy pos-condition */
            set2(L, up - 1, i);
            return i;
        }
        /* otherwise, swap a[i] - a[j] to restore invariant and repeat */
        set2(L, i, j);
    }
}

/* Choose an element in the middle (2nd-3th quarters) of [lo,up] "randomized" by 'rnd'. */
static IdxT choosePivot(IdxT lo, IdxT up, unsigned int rnd) {
    IdxT r4 = (up - lo) / 4; /* range/4 */
    IdxT p = rnd % (r4 * 2) + (lo + r4);
    return p;
}

static void auxsort(lua_State *L, IdxT lo, IdxT up, unsigned int rnd) {
    while (lo < up) { /* loop for tail recursion */
        IdxT p;
        IdxT n;
        /* sort elements 'lo', 'p', and 'up' */
        geti(L, 1, lo);
        geti(L, 1, up);
        if (sort_comp(L, -1, -2)) /* a[up] < a[lo]? */
            set2(L, lo, up);
        else
            lua_pop(L, 2);
        if (up - lo == 1) /* only 2 elements? */
            return;
        if (up - lo < RANLIMIT || rnd == 0) /* small interval or no randomize? */
            p = (lo + up) / 2;
        else
            p = choosePivot(lo, up, rnd);
        geti(L, 1, p);
        geti(L, 1, lo);
        if (sort_comp(L, -2, -1)) /* a[p] < a[lo]? */
            set2(L, p, lo);
        else {
            lua_pop(L, 1);
            geti(L, 1, up);
            if (sort_comp(L, -1, -2)) /* a[up] < a[p]? */
                set2(L, p, up);
            else
                lua_pop(L, 2);
        }
        if (up - lo == 2) /* only 3 elements? */
            return;
        geti(L, 1, p);         /* get middle element (Pivot) */
        lua_pushvalue(L, -1);  /* push Pivot */
        geti(L, 1, up - 1);    /* push a[up - 1] */
        set2(L, p, up - 1);    /* swap Pivot (a[p]) with a[up - 1] */
        p = partition(L, lo, up);
        /* a[lo .. p - 1] <= a[p] == P <= a[p + 1 .. up] */
        if (p - lo < up - p) { /* lower interval is smaller? */
            auxsort(L, lo, p - 1, rnd);
            n = p - lo;
            lo = p + 1;
        } else {
            auxsort(L, p + 1, up, rnd);
            n = up - p;
            up = p - 1;
        }
        if ((up - lo) / 128 > n) /* partition too imbalanced? */
            rnd = choose_seed(lo, up);
    }
}

static int sort(lua_State *L) {
    lua_Integer n = aux_getn(L, 1, TAB_RW);
    if (n > 1) { /* non-trivial interval? */
        luaL_argcheck(L, n < INT_MAX, 1, "array too big");
        if (!lua_isnoneornil(L, 2)) /* is there a 2nd argument? */
            luaL_checktype(L, 2, LUA_TFUNCTION);
        lua_settop(L, 2); /* make sure there are two arguments */
        auxsort(L, 1, (IdxT)n, 0);
    }
    return 0;
}

void trellis_install_bounded_table(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"concat", tconcat}, {"insert", tinsert}, {"unpack", tunpack}, {"remove", tremove},
        {"move", tmove},     {"sort", sort},      {NULL, NULL},
    };
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, LUA_TABLIBNAME);
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 2);
}
