#ifndef CLUASHIM_H
#define CLUASHIM_H

/*
 * The parts of the Lua 5.4 C API that Swift cannot import (function-like macros and the
 * variadic lua_gc), plus the engine's per-state controls: a capped allocator, an instruction
 * budget and the message handler every call into rule code goes through.
 *
 * Nothing here raises a Lua error into a Swift frame: the functions that can fail report it
 * through their return value.
 */

#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/// Per-state limits and accounting; owned by the Swift side, found by the hook and the
/// allocator through the state's extra space.
typedef struct TrellisControl {
    /* allocator */
    size_t memory_used;
    size_t memory_peak;
    size_t memory_limit;      /* bytes rule code may add to what the state held when it started; 0: no limit */
    size_t memory_baseline;   /* what the state held when the rule call started */
    int memory_enforced;      /* the limit applies only while rule code runs */
    int memory_exceeded;      /* a request was refused even after Lua's emergency collection */
    int memory_pending;       /* a request was refused once; Lua collects and asks again */
    void *pending_block;      /* that request, to recognise the retry */
    size_t pending_size;
    /* instruction budget */
    int64_t instructions_left;
    int64_t instruction_limit; /* 0 means no budget */
    int budget_exhausted;      /* sticky until the next reset */
    /* wall-clock deadline, checked by the same hook */
    int64_t timeout_ns;        /* 0 means no deadline */
    int64_t deadline_ns;       /* CLOCK_MONOTONIC */
    int deadline_passed;       /* sticky until the next reset */
    lua_State *main_thread;    /* set by trellis_newstate */
    /* the watchdog: a large budget's hook is armed only once a call has run for a while, and
     * every call with a deadline is stopped at it (see Limits.c) */
    volatile int watched;      /* this call is on the watchdog's list */
    volatile int hook_armed;   /* the count hook is installed on the main thread */
    volatile int deadline_due; /* set by the watchdog once the deadline has passed */
    int64_t arm_at_ns;         /* CLOCK_MONOTONIC: when the watchdog arms the hook */
    int64_t arm_after_ns;      /* how long a call runs before that; 0: 1 ms */
    void *os_thread;           /* the pthread running the call */
    struct TrellisControl *watch_next, *watch_prev; /* the watchdog's list */
    lua_State *running;        /* the thread running rule code: the main thread or a coroutine */
    int charging;              /* a guarded call runs: work done in C counts (trellis_charge) */
    int keep_deadline;         /* set by the host: the next guarded call keeps the last one's deadline */
    int64_t unclocked_steps;   /* steps charged since the clock was last read */
    /* coverage: when set, every line that rule code runs is reported (rule tests only) */
    void (*line_callback)(void *context, const char *source, int line);
    void *line_context;
    /* read-only proxies recycled from one student to the next (trellis_proxy_pool_begin) */
    int proxy_pool_ref;        /* registry reference of the pool, 0 until first used */
    int proxy_pool_active;
    int proxy_pool_cursor;
    int light_proxies;         /* trellis_make_readonly makes light proxies (see below) */
    int64_t fresh_runs;        /* rule files run afresh for a call of evaluate (tests read it) */
    /* ctx.emit: set by the host around a class-level call, NULL elsewhere. Reads the item at
     * `index` of L; returns 1, or 0 with an error message pushed on L. */
    int (*emit_callback)(void *context, lua_State *L, int index);
    void *emit_context;
    /* ctx.log: kept only when set (rule tests and explain); a no-op otherwise */
    int log_enabled;
    /* the contract's session fields, as the host defined them (trellis_define_session_field):
     * their keys in a registry table (0 until the first is defined), how many, which are integers */
    int session_keys_ref;
    int session_field_count;
    uint32_t session_integer_fields;
} TrellisControl;

/// `ctx.log(...)`: its arguments as `print` would show them, joined by spaces, kept for the host
/// when `log_enabled` is set (at most TRELLIS_LOG_MESSAGES a rule call, each cut to
/// TRELLIS_LOG_BYTES); nothing otherwise.
int trellis_log(lua_State *L);

/// Pushes the messages `ctx.log` kept since the last call (a list of strings, or nil when none
/// were kept) and starts an empty list. The host calls it outside rule calls.
void trellis_take_log(lua_State *L);

#define TRELLIS_LOG_MESSAGES 100
#define TRELLIS_LOG_BYTES 2000

/// Creates a state whose allocator and hook report to `control`. NULL when out of memory.
lua_State *trellis_newstate(TrellisControl *control);

/// Opens the libraries the sandbox draws from: base, string, table, math, utf8, coroutine and
/// os (of which rules see only the clock and dates).
/// Runs in protected mode; returns LUA_OK or an error status (message on the stack).
int trellis_open_rule_libraries(lua_State *L);

/// Starts a rule call: resets the budget and the memory flags and applies the limits.
void trellis_begin_guarded(lua_State *L);

/// Ends a rule call: lifts the limits so that the host can push and read freely.
void trellis_end_guarded(lua_State *L);

/// The message handler for lua_pcall: turns any error value into a table
/// `{ message = string, location = "file:line" | nil, traceback = string }`. The location is
/// that of the innermost function not in the engine's own Lua (chunks named `@trellis/...`),
/// so an error inside a helper points at the rule's line that called it.
int trellis_message_handler(lua_State *L);

/// Replaces the table at the top of the stack with a read-only proxy of it: reads, `#`,
/// `ipairs` and `pairs` see the table; writes raise an error naming the field. Nested tables
/// must be proxies already (build bottom-up), so nothing writable is reachable.
void trellis_make_readonly(lua_State *L);

/// Until trellis_proxy_pool_end, trellis_make_readonly reuses the proxies it made between the
/// previous begin and end, in the same order, pointing each at its new table: a proxy and its
/// metatable cost two tables, and a student needs some two hundred of them. Only for input that
/// nothing keeps past the next begin (one student's table, handed to rules whose globals are
/// fresh for each student).
void trellis_proxy_pool_begin(lua_State *L);
void trellis_proxy_pool_end(lua_State *L);

/// While set, trellis_make_readonly leaves tables raw, for trellis_seal_light to wrap the
/// outermost one in a light proxy: one table holding its real table under a key rules cannot
/// name, and one metatable shared by all, whose __index is a C function. A nested table is
/// sealed (in a light proxy of its own, stored in place of it) when it is first read, through
/// `.`, `ipairs` or `next`, before any rule can see it. Several times the cost of a regular
/// proxy per read, but only the tables read are ever sealed: for input that is made often and
/// read little (the students of a class, for class-level rules).
void trellis_light_proxies(lua_State *L, int enabled);

/// Replaces the table at the top of the stack, built raw while light proxies were on, with a
/// light proxy of it.
void trellis_seal_light(lua_State *L);

/// `next` for rules: over a read-only proxy, the entries of the table it stands for (whose
/// nested tables are proxies too); over any other table, Lua's own `next`.
int trellis_safe_next(lua_State *L);

/// `pairs` for rules: a `__pairs` metamethod as in Lua; for any other table
/// `trellis_safe_next`, never Lua's own `next` (so `pairs({}) == next` holds in the sandbox too).
int trellis_safe_pairs(lua_State *L);

/// The real table behind a read-only proxy, else its argument: for the helper library only,
/// which never hands that table to a rule. A rule that held it could write to the input.
int trellis_input_table(lua_State *L);

/// Registers a function of the sandbox that every rule shares (a rule's state can refer to it and
/// still be known not to change); returns it.
int trellis_register_shared(lua_State *L);

/// Marks a metatable as that of one of the sandbox's read-only tables; returns it.
int trellis_mark_read_only(lua_State *L);

/// Pushes the table a read-only proxy at `idx` stands for, or the value itself when it is not
/// a proxy. Never runs a metamethod.
void trellis_push_unwrapped(lua_State *L, int idx);

/// Runs a rule file's chunk in a fresh environment and returns the rule table it builds.
/// Arguments: the chunk, the environment's metatable. For lua_pcall.
int trellis_load_rule(lua_State *L);

/// Runs a rule for one student: a fresh environment, the chunk, then `evaluate(student, ctx)`.
/// Arguments: the chunk, the environment's metatable, the student, ctx, and optionally the
/// student's results so far (for a rule with `reads_results`: `evaluate(student, ctx, results)`);
/// returns evaluate's first result. For lua_pcall, so that no Lua error crosses a Swift frame.
int trellis_run_rule(lua_State *L);

/// `setmetatable` for rules: the base library's, refusing metatables with `__gc`.
int trellis_safe_setmetatable(lua_State *L);

/// The same for a class: the file afresh, then `evaluate_class(class, ctx)`.
/// Arguments: the chunk, the environment's metatable, the class table, ctx.
int trellis_run_class_rule(lua_State *L);

/// `ctx.emit(item)`: hands one recommendation or note of a class-level rule to the host as soon as
/// the rule makes it (through `emit_callback`), so a rule that recommends something per student
/// need not hold them all. Outside a class-level call it raises an error.
int trellis_emit(lua_State *L);

/* Macros and variadics, as functions. */

/// A collection whose elements the host builds on first read (class.students and class.results
/// of a streamed roster). `load` pushes element `index` (1-based) and returns 1, or 0 for none.
/// A map also has `key` (pushes the key of element `index`) and `find` (the index of the key at
/// stack slot `key`, or 0); a list has neither and `count` elements.
typedef struct {
    lua_Integer count;
    int (*load)(void *context, lua_State *L, lua_Integer index);
    void (*key)(void *context, lua_State *L, lua_Integer index);
    lua_Integer (*find)(void *context, lua_State *L, int key);
    void *context;
    /* 1: built elements are held weakly (the collector may drop them and they are built again);
     * 0: kept for the call (faster when every rule reads every element, but memory grows) */
    int weak;
} TrellisLazySpec;

/// Pushes a read-only proxy over `spec` (copied): indexing, `#`, `pairs` and `ipairs` work; writes
/// fail like those to any input table. The host keeps `context` alive while the proxy is reachable.
void trellis_push_lazy(lua_State *L, const TrellisLazySpec *spec);

/// Replaces the string at the top of the stack, a skill's sessions packed by the host (layout in
/// PackedSessions.c), with a read-only list of them whose session tables are built when read: the
/// students of class-level rules, which read a few sessions of each skill, are made cheaply.
/// With `read_only`, each session's table is sealed as it is built.
void trellis_push_packed_sessions(lua_State *L, int read_only);

/// The session fields, defined by the host from its one table of them (SessionField.swift) in
/// order, before any session is built: pops the field's key (a string) and appends the field,
/// an integer when `is_integer` (else text). At most TRELLIS_SESSION_FIELDS_MAX.
void trellis_define_session_field(lua_State *L, int is_integer);

/// How many session fields the state has defined.
int trellis_session_field_count(lua_State *L);

/// Pops the values of a session's present fields (bit i of `present`: field i, pushed in field
/// order) and pushes the session's table, with room for every field; sealed (read-only) when
/// `seal`, else left for the host to add fields beyond the contract and seal.
void trellis_push_session(lua_State *L, uint32_t present, int seal);

#define TRELLIS_SESSION_FIELDS_MAX 32

static inline void trellis_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void trellis_newtable(lua_State *L) { lua_newtable(L); }
static inline int trellis_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline const char *trellis_tostring(lua_State *L, int idx, size_t *len) {
    return lua_tolstring(L, idx, len);
}
static inline int trellis_loadtext(lua_State *L, const char *buffer, size_t size, const char *name) {
    /* "t": text only; binary chunks can crash the interpreter. */
    return luaL_loadbufferx(L, buffer, size, name, "t");
}
static inline int trellis_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int trellis_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void trellis_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline int trellis_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
static inline lua_Integer trellis_tointeger(lua_State *L, int idx, int *isnum) {
    return lua_tointegerx(L, idx, isnum);
}
static inline lua_Number trellis_tonumber(lua_State *L, int idx, int *isnum) {
    return lua_tonumberx(L, idx, isnum);
}
static inline void trellis_full_gc(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
static inline int trellis_gc_kbytes(lua_State *L) { return lua_gc(L, LUA_GCCOUNT); }
static inline void trellis_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void trellis_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void trellis_replace(lua_State *L, int idx) { lua_replace(L, idx); }

#endif
