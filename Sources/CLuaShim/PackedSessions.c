/*
 * Packed sessions: a skill's sessions as one string, each session's table built when read.
 *
 * Invariants kept here:
 * - Every read is checked against the end of the string: damaged bytes read as missing sessions
 *   (or an empty list), never as memory outside it.
 * - The field order and types are the contract's session fields as PackedSessions.swift writes
 *   them; a built session is sealed (read-only) unless the state runs without the sandbox.
 */
#include "ShimInternal.h"

#include <string.h>

/* Packed sessions: a skill's sessions as one string, each session's table built when a rule
 * reads it. Layout (little-endian): u32 count, u32 length of the records, u32 offset[count] (from
 * the first record), then per session a byte of flags (bit i: field i of packed_session_fields is
 * present) and the present fields in that order: strings as u32 length and bytes, integers as
 * i64. The host wrote it (PackedSessions.swift); every read is still checked against the end. */
static const char *const packed_session_fields[] = {
    "date", "prompt_level", "stage", "trials", "correct", "independent", "setting", "staff",
};
static const int packed_session_is_integer[] = { 0, 0, 0, 1, 1, 1, 0, 0 };
#define PACKED_SESSION_FIELD_COUNT ((int)(sizeof packed_session_fields / sizeof packed_session_fields[0]))

int trellis_session_field_count(void) { return PACKED_SESSION_FIELD_COUNT; }

const char *trellis_session_field_name(int index) {
    return index >= 0 && index < PACKED_SESSION_FIELD_COUNT ? packed_session_fields[index] : NULL;
}

int trellis_session_field_is_integer(int index) {
    return index >= 0 && index < PACKED_SESSION_FIELD_COUNT ? packed_session_is_integer[index] : 0;
}

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
    for (int field = 0; field < PACKED_SESSION_FIELD_COUNT; field++) {
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
