#include "CLuaShim.h"
#include "BoundedLibraries.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often the count hook runs, in VM instructions. The budget is checked at this grain. */
#define TRELLIS_HOOK_GRAIN 1000

/* With any count hook installed, Lua 5.4 sends every instruction through the hook check (twice
 * the cost of a tight loop). So for budgets of this size or more the hook is installed only when
 * a call has run for TRELLIS_ARM_AFTER_NS, by a watchdog thread that signals the worker; the
 * budget then counts from there. Smaller budgets are counted from the first instruction. */
#define TRELLIS_EXACT_BUDGET 1000000
#define TRELLIS_ARM_AFTER_NS 1000000
#define TRELLIS_WATCH_PERIOD_NS 500000

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
        int is_retry = control->memory_pending && control->pending_block == ptr && control->pending_size == nsize;
        /* The cap is on what rule code adds: the class table or a large student the engine
         * built before the call does not count against it. */
        size_t ceiling = control->memory_baseline + control->memory_limit;
        if (control->memory_used > ceiling || growth > ceiling - control->memory_used) {
            /* Lua answers a refusal with a full collection and the same request again: only a
             * request refused twice is over the cap. Garbage is not the rule's to pay for. A
             * request larger than the whole cap is over it at once (a luaL_Buffer growing in C,
             * string.rep's result, does not ask twice). */
            if (is_retry || growth > control->memory_limit) control->memory_exceeded = 1;
            control->memory_pending = 1;
            control->pending_block = ptr;
            control->pending_size = nsize;
            return NULL;
        }
        if (is_retry) control->memory_pending = 0;
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
    control->main_thread = L;
    lua_atpanic(L, trellis_panic);
    return L;
}

static int open_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    /* Only os.time, os.date, os.difftime and os.clock reach rules (see sandbox.lua). */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 1);
    /* The functions that loop in C count their steps against the limits (BoundedLibraries.h). */
    trellis_install_bounded_base(L);
    trellis_install_bounded_table(L);
    trellis_install_bounded_string(L);
    lua_settop(L, 0);
    return 0;
}

int trellis_open_rule_libraries(lua_State *L) {
    lua_pushcfunction(L, open_libraries);
    return lua_pcall(L, 0, 0, 0);
}

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Counts one grain of instructions against the budget and checks the clock. */
static void account(TrellisControl *control) {
    if (control->budget_exhausted || control->deadline_passed) return;
    if (control->instruction_limit > 0) {
        control->instructions_left -= TRELLIS_HOOK_GRAIN;
        if (control->instructions_left <= 0) control->budget_exhausted = 1;
    }
    if (control->timeout_ns > 0 && (control->deadline_due || monotonic_ns() > control->deadline_ns)) {
        control->deadline_passed = 1;
    }
}

static void limit_hook(lua_State *L, lua_Debug *ar);

/* Hooks every instruction of L, unless that is done already: lua_sethook walks every frame of the
 * thread, which in a deep recursion takes milliseconds, and a rule that catches the limit's error
 * at each level of a recursion (or the watchdog's repeated signal) would pay that again and again. */
static void hook_every_instruction(lua_State *L) {
    if (lua_gethook(L) == limit_hook && lua_gethookmask(L) == LUA_MASKCOUNT && lua_gethookcount(L) == 1) return;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
}

/* Once a limit is reached the hook fires on every instruction, so a rule that catches the
 * error with pcall (or in a coroutine) cannot run on: each next instruction fails again. A
 * coroutine that dies of the limit hands control back to the main thread, which is stopped too. */
static void enforce_limits(lua_State *L, TrellisControl *control) {
    if (!control->budget_exhausted && !control->deadline_passed) return;
    hook_every_instruction(L);
    if (L != control->main_thread) hook_every_instruction(control->main_thread);
    if (control->budget_exhausted) {
        luaL_error(L, "instruction budget exceeded (%I instructions)", (lua_Integer)control->instruction_limit);
    }
    luaL_error(L, "time limit exceeded (%I ms)", (lua_Integer)(control->timeout_ns / 1000000));
}

static void limit_hook(lua_State *L, lua_Debug *ar) {
    TrellisControl *control = control_of(L);
    if (ar->event == LUA_HOOKLINE) {
        if (control->line_callback && lua_getinfo(L, "S", ar)) {
            control->line_callback(control->line_context, ar->source, ar->currentline);
        }
        return;
    }
    account(control);
    enforce_limits(L, control);
}

/* How many steps of C work may pass between two readings of the clock when the watchdog watches
 * the call (it raises deadline_due at the deadline; the clock is a second opinion for when the
 * watchdog's thread is slow to run). A call it does not watch reads the clock at every charge. */
#define TRELLIS_CLOCK_STEPS 4096

void trellis_charge(lua_State *L, int64_t steps) {
    TrellisControl *control = control_of(L);
    if (!control->charging) return;
    if (control->instruction_limit > 0 && !control->budget_exhausted) {
        control->instructions_left -= steps;
        if (control->instructions_left <= 0) control->budget_exhausted = 1;
    }
    if (control->timeout_ns > 0 && !control->deadline_passed) {
        if (control->deadline_due) {
            control->deadline_passed = 1;
        } else if (!control->watched || (control->unclocked_steps += steps) >= TRELLIS_CLOCK_STEPS) {
            control->unclocked_steps = 0;
            if (monotonic_ns() > control->deadline_ns) control->deadline_passed = 1;
        }
    }
    enforce_limits(L, control);
}

int trellis_limits_reached(lua_State *L) {
    TrellisControl *control = control_of(L);
    return control->budget_exhausted || control->deadline_passed || control->memory_exceeded;
}

/* Every coroutine starts with a fresh hook count, so one that runs fewer instructions than the
 * grain would never be counted: each resume is charged a grain up front. The main thread's hook
 * may be armed late (by the watchdog); a coroutine is hooked before it first runs, so a loop
 * inside one is counted from its first instruction. */
void trellis_enter_coroutine(lua_State *L, lua_State *co) {
    TrellisControl *control = control_of(L);
    if (!control->charging) return;
    account(control);
    enforce_limits(L, control);
    int mask = control->instruction_limit > 0 || control->timeout_ns > 0 ? LUA_MASKCOUNT : 0;
    if (control->line_callback) mask |= LUA_MASKLINE;
    if (mask && lua_gethook(co) == NULL) lua_sethook(co, limit_hook, mask, TRELLIS_HOOK_GRAIN);
    control->running = co;
}

/* Back in the resumer: a coroutine that died of a limit stops the resumer at once, rather than
 * at its next hook grain (which a loop of costly instructions would make long). */
void trellis_leave_coroutine(lua_State *L) {
    TrellisControl *control = control_of(L);
    if (!control->charging) return;
    control->running = L;
    enforce_limits(L, control);
}

/* The watchdog: one thread for the process, a list of the calls that run rule code under a
 * deadline or with a deferred hook, and a signal that makes the worker install the hook on
 * itself (lua_sethook may be called from a signal handler: the standalone lua interpreter does
 * the same on Ctrl-C). At a call's deadline it also raises deadline_due, which the C ports of
 * the library read at every step, and signals the worker to hook the thread it is running with
 * a count of 1: the next instruction fails, so a loop of costly instructions or C calls (each
 * checked only once per grain by the hook) stops within one of them. */

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_wake = PTHREAD_COND_INITIALIZER;
static TrellisControl *watched_calls; /* a list linked through watch_next and watch_prev */
/* The watchdog waits on watch_wake only after a while with no call to watch: waking it for each
 * call (a rule call is often a few microseconds) cost a futex wake and a thread switch per call. */
#define TRELLIS_WATCH_IDLE_NS 100000000
static int watchdog_waiting;
static int watch_signal;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
static __thread TrellisControl *volatile thread_control;
static __thread int thread_unblocked;

/* Runs on the worker's own thread, so `running` is the thread it interrupted (or its resumer). */
static void watch_handler(int signal_number) {
    (void)signal_number;
    TrellisControl *control = thread_control;
    if (control == NULL || !control->watched) return;
    if (control->deadline_due) {
        control->hook_armed = 1;
        hook_every_instruction(control->running);
        if (control->running != control->main_thread) hook_every_instruction(control->main_thread);
        return;
    }
    if (control->hook_armed) return;
    control->hook_armed = 1;
    lua_sethook(control->main_thread, limit_hook, LUA_MASKCOUNT, TRELLIS_HOOK_GRAIN);
}

static void *watch_loop(void *unused) {
    (void)unused;
    pthread_mutex_lock(&watch_lock);
    int64_t last_busy = monotonic_ns();
    for (;;) {
        int64_t now = monotonic_ns();
        if (watched_calls) last_busy = now;
        while (watched_calls == NULL && now - last_busy >= TRELLIS_WATCH_IDLE_NS) {
            watchdog_waiting = 1;
            pthread_cond_wait(&watch_wake, &watch_lock);
            watchdog_waiting = 0;
            now = last_busy = monotonic_ns();
        }
        for (TrellisControl *control = watched_calls; control; control = control->watch_next) {
            int wake = 0;
            /* Sent again each period until the worker has armed its hook, or noticed the deadline
             * (it may have been installing a hook of its own when the first signal came). */
            if (!control->hook_armed && now >= control->arm_at_ns) wake = 1;
            if (control->timeout_ns > 0 && now >= control->deadline_ns) {
                control->deadline_due = 1;
                if (!*(volatile int *)&control->deadline_passed) wake = 1;
            }
            if (wake) pthread_kill((pthread_t)control->os_thread, watch_signal);
        }
        pthread_mutex_unlock(&watch_lock);
        struct timespec pause = {0, TRELLIS_WATCH_PERIOD_NS};
        nanosleep(&pause, NULL);
        pthread_mutex_lock(&watch_lock);
    }
    return NULL;
}

static int watch_started;

static void start_watchdog(void) {
    watch_signal = SIGRTMAX - 3;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = watch_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(watch_signal, &action, NULL) != 0) return;
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    if (pthread_create(&thread, &attributes, watch_loop, NULL) == 0) watch_started = 1;
    pthread_attr_destroy(&attributes);
}

/* Puts the call on the watchdog's list, which has no size limit; 0 when there is no watchdog (its
 * signal or thread could not be set up). With `deferred`, the watchdog arms the hook. */
static int watch(TrellisControl *control, int deferred) {
    pthread_once(&watch_once, start_watchdog);
    if (!watch_started) return 0;
    if (!thread_unblocked) {
        /* Dispatch's worker threads start with asynchronous signals blocked. */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, watch_signal);
        if (pthread_sigmask(SIG_UNBLOCK, &set, NULL) != 0) return 0;
        thread_unblocked = 1;
    }
    thread_control = control;
    control->os_thread = (void *)pthread_self();
    control->hook_armed = !deferred;
    int64_t arm_after = control->arm_after_ns > 0 ? control->arm_after_ns : TRELLIS_ARM_AFTER_NS;
    if (control->timeout_ns > 0 && control->timeout_ns < arm_after) arm_after = control->timeout_ns;
    control->arm_at_ns = monotonic_ns() + arm_after;
    pthread_mutex_lock(&watch_lock);
    control->watch_prev = NULL;
    control->watch_next = watched_calls;
    if (watched_calls) watched_calls->watch_prev = control;
    watched_calls = control;
    control->watched = 1;
    if (watchdog_waiting) pthread_cond_signal(&watch_wake);
    pthread_mutex_unlock(&watch_lock);
    return 1;
}

static void unwatch(TrellisControl *control) {
    if (!control->watched) return;
    pthread_mutex_lock(&watch_lock);
    control->watched = 0;
    if (control->watch_prev) {
        control->watch_prev->watch_next = control->watch_next;
    } else {
        watched_calls = control->watch_next;
    }
    if (control->watch_next) control->watch_next->watch_prev = control->watch_prev;
    control->watch_next = control->watch_prev = NULL;
    pthread_mutex_unlock(&watch_lock);
}

void trellis_begin_guarded(lua_State *L) {
    TrellisControl *control = control_of(L);
    control->memory_exceeded = 0;
    control->memory_pending = 0;
    control->budget_exhausted = 0;
    control->deadline_passed = 0;
    control->deadline_due = 0;
    control->instructions_left = control->instruction_limit;
    control->unclocked_steps = 0;
    control->memory_enforced = control->memory_limit > 0;
    control->memory_baseline = control->memory_used;
    control->running = L;
    control->charging = 1;
    if (control->timeout_ns > 0 && !control->keep_deadline) control->deadline_ns = monotonic_ns() + control->timeout_ns;
    control->keep_deadline = 0;
    int limited = control->instruction_limit > 0 || control->timeout_ns > 0;
    int deferrable = limited && !control->line_callback
        && (control->instruction_limit == 0 || control->instruction_limit >= TRELLIS_EXACT_BUDGET);
    /* Every call with a deadline is watched, whether or not its hook is deferred. */
    int watched = (deferrable || control->timeout_ns > 0) && watch(control, deferrable);
    if (deferrable && watched) return;
    int mask = limited ? LUA_MASKCOUNT : 0;
    if (control->line_callback) mask |= LUA_MASKLINE;
    if (mask) lua_sethook(L, limit_hook, mask, TRELLIS_HOOK_GRAIN);
}

void trellis_end_guarded(lua_State *L) {
    TrellisControl *control = control_of(L);
    control->memory_enforced = 0;
    control->charging = 0;
    unwatch(control);
    lua_sethook(L, NULL, 0, 0);
    control->hook_armed = 0;
    control->running = L;
}

/* Read-only proxies. Each proxy is an empty table whose own metatable holds the real table as
 * __index (so reads take the VM's fast path) and these shared functions. A proxy is recognised by
 * its __newindex being readonly_newindex: rules never see that function (the metatable is hidden),
 * so they cannot forge a proxy. */

static int readonly_newindex(lua_State *L) {
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

static void push_light_proxy(lua_State *L);

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
    push_light_proxy(L);
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
static int lazy_next_of_proxy(lua_State *L);

int trellis_safe_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lazy_next_of_proxy(L)) return lua_gettop(L) - 2;
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
    lua_pushcfunction(L, readonly_newindex);
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
static void push_light_proxy(lua_State *L) {
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
    push_light_proxy(L);
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

/* Lazy read-only collections: a proxy whose elements the host builds on first read, so that a
 * class-level rule over a large roster holds only the students it touches. Built elements are
 * cached: for a large roster weakly (the collector may drop one that no rule holds, and it is
 * built again), for a small one for the whole call. */

static int lazy_newindex(lua_State *L) {
    return readonly_newindex(L);
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
static int lazy_next_of_proxy(lua_State *L) {
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
static void push_lazy_anchored(lua_State *L, const TrellisLazySpec *spec, int anchor) {
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
    push_lazy_anchored(L, spec, 0);
}

/* Packed sessions: a skill's sessions as one string, each session's table built when a rule
 * reads it. Layout (little-endian): u32 count, u32 length of the records, u32 offset[count] (from
 * the first record), then per session a byte of flags (bit i: field i of packed_session_fields is
 * present) and the present fields in that order: strings as u32 length and bytes, integers as
 * i64. The host wrote it (PackedSessions.swift); every read is still checked against the end. */
static const char *const packed_session_fields[] = {
    "date", "prompt_level", "stage", "trials", "correct", "independent", "setting", "staff",
};
static const int packed_session_is_integer[] = { 0, 0, 0, 1, 1, 1, 0, 0 };

typedef struct {
    const unsigned char *bytes;
    size_t length;
    int read_only; /* sessions are sealed as built (not under --unsafe-no-sandbox) */
} PackedSessions;

static uint32_t read_u32(const unsigned char *bytes) {
    return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
}

/* The number of sessions, or 0 when the header does not match the length. */
static uint32_t packed_session_count(const unsigned char *bytes, size_t length) {
    if (length < 8) return 0;
    uint64_t count = read_u32(bytes);
    return 8 + 4 * count + read_u32(bytes + 4) == length ? (uint32_t)count : 0;
}

static int load_packed_session(void *context, lua_State *L, lua_Integer index) {
    const PackedSessions *packed = (const PackedSessions *)context;
    uint32_t count = read_u32(packed->bytes);
    const unsigned char *records = packed->bytes + 8 + 4 * (size_t)count;
    const unsigned char *end = packed->bytes + packed->length;
    const unsigned char *record = records + read_u32(packed->bytes + 4 + 4 * (size_t)index);
    if (record >= end) return 0;
    unsigned flags = *record++;
    lua_createtable(L, 0, __builtin_popcount(flags));
    for (int field = 0; field < 8; field++) {
        if (!(flags & (1u << field))) continue;
        if (packed_session_is_integer[field]) {
            if (end - record < 8) return lua_pop(L, 1), 0;
            int64_t value;
            memcpy(&value, record, 8);
            record += 8;
            lua_pushinteger(L, (lua_Integer)value);
        } else {
            if (end - record < 4) return lua_pop(L, 1), 0;
            uint32_t length = read_u32(record);
            if ((size_t)(end - record - 4) < length) return lua_pop(L, 1), 0;
            lua_pushlstring(L, (const char *)record + 4, length);
            record += 4 + length;
        }
        lua_setfield(L, -2, packed_session_fields[field]);
    }
    if (packed->read_only) {
        push_light_proxy(L);
        lua_replace(L, -2);
    }
    return 1;
}

void trellis_push_packed_sessions(lua_State *L, int read_only) {
    size_t length = 0;
    const char *bytes = lua_tolstring(L, -1, &length);
    /* The pointer and length live beside the spec, in a userdata that keeps the string alive. */
    PackedSessions *packed = (PackedSessions *)lua_newuserdatauv(L, sizeof(PackedSessions), 1);
    packed->bytes = (const unsigned char *)bytes;
    packed->length = length;
    packed->read_only = read_only;
    lua_pushvalue(L, -2);
    lua_setiuservalue(L, -2, 1);
    TrellisLazySpec spec = { .count = packed_session_count(packed->bytes, length), .load = load_packed_session, .context = packed, .weak = 0 };
    push_lazy_anchored(L, &spec, -1);
    lua_replace(L, -3);
    lua_pop(L, 1);
}
