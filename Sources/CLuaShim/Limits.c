/*
 * The limits of a rule call: the instruction budget (a count hook), the wall-clock deadline,
 * trellis_charge for work done in C, and the watchdog thread and its signal.
 *
 * Invariants kept here:
 * - A limit, once reached, is sticky until the next trellis_begin_guarded: the hook fires at
 *   every instruction after it, so no `pcall` inside the rule can carry on past it.
 * - No hook is installed outside a guarded call; between calls the host pushes and reads freely.
 * - A budget of TRELLIS_EXACT_BUDGET or more is armed only after the call has run for
 *   `arm_after_ns` (by the watchdog's signal to the worker); a smaller one counts from the first
 *   instruction. A budget therefore never under-counts by more than that first millisecond.
 * - The watchdog only reads a control while it is on its list (under `watch_lock`); the worker
 *   takes it off before the call returns, so a control is never read after its call ended.
 * - The signal handler only sets hooks (async-signal-safe in Lua) on the thread that received it.
 * - Coroutines are hooked before they first run and inherit the running call's limits.
 */
#include "ShimInternal.h"
#include "BoundedLibraries.h"

#include <pthread.h>
#include <signal.h>
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
