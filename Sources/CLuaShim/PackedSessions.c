/*
 * Session tables: the contract's session fields as the host defines them, a session's table built
 * from values the host pushed, and packed sessions (a skill's sessions as one string, each
 * session's table built when read).
 *
 * Invariants kept here:
 * - The shim names no session field: the host defines them, in order, from its one table of them
 *   (SessionField.swift); every session table here is built from those keys, so the Lua table a
 *   rule reads, a packed session and the host's own forms cannot disagree.
 * - Every read of packed sessions is checked against the end of the string: damaged bytes read as
 *   missing sessions (or an empty list), never as memory outside it.
 * - A built session is sealed (read-only) unless the state runs without the sandbox.
 */
#include "ShimInternal.h"

#include <string.h>

void trellis_define_session_field(lua_State *L, int is_integer) {
    TrellisControl *control = control_of(L);
    if (control->session_field_count >= TRELLIS_SESSION_FIELDS_MAX) {
        lua_pop(L, 1);
        return;
    }
    if (control->session_keys_ref == 0) {
        lua_createtable(L, TRELLIS_SESSION_FIELDS_MAX, 0);
        control->session_keys_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, control->session_keys_ref);
    lua_insert(L, -2);
    lua_rawseti(L, -2, ++control->session_field_count);
    lua_pop(L, 1);
    if (is_integer) control->session_integer_fields |= 1u << (control->session_field_count - 1);
}

int trellis_session_field_count(lua_State *L) { return control_of(L)->session_field_count; }

void trellis_push_session(lua_State *L, uint32_t present, int seal) {
    TrellisControl *control = control_of(L);
    int first = lua_gettop(L) - __builtin_popcount(present) + 1;
    lua_createtable(L, 0, control->session_field_count);
    int table = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, control->session_keys_ref);
    int value = first;
    for (int field = 0; field < control->session_field_count; field++) {
        if (!(present & (1u << field))) continue;
        lua_rawgeti(L, table + 1, field + 1);
        lua_pushvalue(L, value++);
        lua_rawset(L, table);
    }
    lua_pop(L, 1);
    if (seal) trellis_make_readonly(L);
    if (table != first) {
        lua_replace(L, first);
        lua_settop(L, first);
    }
}

/* Packed sessions: a skill's sessions as one string, each session's table built when a rule
 * reads it. Layout (little-endian): u32 count, u32 length of the records, u32 offset[count] (from
 * the first record), then per session u32 flags (bit i: session field i is present) and the
 * present fields in that order: strings as u32 length and bytes, integers as i64. The host wrote
 * it (PackedSessions.swift); every read is still checked against the end. */

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
    TrellisControl *control = control_of(L);
    uint32_t count = read_u32(packed->bytes);
    const unsigned char *records = packed->bytes + 8 + 4 * (size_t)count;
    const unsigned char *end = packed->bytes + packed->length;
    const unsigned char *record = records + read_u32(packed->bytes + 4 + 4 * (size_t)index);
    if (record >= end || end - record < 4 || control->session_keys_ref == 0) return 0;
    uint32_t flags = read_u32(record);
    record += 4;
    lua_createtable(L, 0, __builtin_popcount(flags));
    int table = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, control->session_keys_ref);
    for (int field = 0; field < control->session_field_count; field++) {
        if (!(flags & (1u << field))) continue;
        lua_rawgeti(L, table + 1, field + 1);
        if (control->session_integer_fields & (1u << field)) {
            if (end - record < 8) return lua_settop(L, table - 1), 0;
            int64_t value;
            memcpy(&value, record, 8);
            record += 8;
            lua_pushinteger(L, (lua_Integer)value);
        } else {
            if (end - record < 4) return lua_settop(L, table - 1), 0;
            uint32_t length = read_u32(record);
            if ((size_t)(end - record - 4) < length) return lua_settop(L, table - 1), 0;
            lua_pushlstring(L, (const char *)record + 4, length);
            record += 4 + length;
        }
        lua_rawset(L, table);
    }
    lua_pop(L, 1);
    if (packed->read_only) {
        trellis_push_light_proxy(L);
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
    trellis_push_lazy_anchored(L, &spec, -1);
    lua_replace(L, -3);
    lua_pop(L, 1);
}
