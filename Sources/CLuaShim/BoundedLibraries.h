#ifndef TRELLIS_BOUNDED_LIBRARIES_H
#define TRELLIS_BOUNDED_LIBRARIES_H

/*
 * Between the shim's limits (Limits.c) and its ports of Lua's library functions
 * (BoundedTableLibrary.c, BoundedStringLibrary.c, BoundedBaseLibrary.c): what the ports need
 * to count the work they do in C, where no hook runs. Not part of the module Swift sees.
 */

#include <stdint.h>
#include <lua.h>

/* Charges `steps` of work done in C (each about the cost of one VM instruction) against the
 * running rule's instruction budget and checks its deadline. Once a limit is reached it raises
 * the limit's error, as the hook does, and every later instruction fails too (sticky: pcall
 * cannot swallow it). Does nothing outside a guarded call. `steps` may be 0: the deadline only. */
void trellis_charge(lua_State *L, int64_t steps);

/* Whether the running rule has reached a limit (budget, deadline or memory). */
int trellis_limits_reached(lua_State *L);

/* Around the resumption (or closing) of coroutine `co` by `L`: hooks `co`, charges a grain, and
 * records `co` as the running thread, which the watchdog hooks at the deadline; leaving records
 * `L` again and raises at once if the coroutine ran into a limit. */
void trellis_enter_coroutine(lua_State *L, lua_State *co);
void trellis_leave_coroutine(lua_State *L);

/* Replaces, in the state's own library tables (which rules never see, but whose names Lua's
 * error messages use), the functions that loop in C over a length or a pattern with the ports
 * that count each step: table.concat, insert, move, remove, sort and unpack; string.find, match,
 * gmatch, gsub and rep; coroutine.create, resume, wrap and close; xpcall. */
void trellis_install_bounded_table(lua_State *L);
void trellis_install_bounded_string(lua_State *L);
void trellis_install_bounded_base(lua_State *L);

#endif
