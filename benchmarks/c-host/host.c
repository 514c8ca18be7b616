/*
 * The floor: the least a host can do to run a Trellis rule over an NDJSON roster with liblua5.4.
 *
 * It streams the roster one line at a time, parses each student with cJSON, builds the student's
 * Lua table (student -> skills -> sessions, every field of the line, JSON null left out), calls the
 * rule's evaluate(student, ctx) in one Lua state with the standard libraries (no sandbox, no
 * limits, no validation of the input), and writes one line per student, in the shape of
 * `trellis evaluate --format ndjson`: {"student": ID, "recommendations": [...]}, each
 * recommendation with the rule's id and priority added. Memory stays flat: one student at a time.
 *
 *   host [--phase] [-o OUT] RULE.lua HEADER.json ROSTER.ndjson|-
 *
 * ctx holds the header's fields (as_of, ladders, catalog, class), ladders defaulted as the
 * contract says when the header has none, params = {} and rule = { id = ... }.
 * --phase prints to standard error the time spent reading lines, parsing JSON, building Lua
 * tables, running the rule and writing the output (clock_gettime around each, per student).
 *
 * Build: gcc -O2 -o host host.c $(pkg-config --cflags --libs lua5.4 libcjson)
 */
#define _GNU_SOURCE
#include <cJSON.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- JSON to Lua ------------------------------------------------------------------------- */

static void push_json(lua_State *L, const cJSON *value) {
    switch (value->type & 0xFF) {
    case cJSON_Object: {
        int count = 0;
        for (const cJSON *child = value->child; child; child = child->next) count++;
        lua_createtable(L, 0, count);
        for (const cJSON *child = value->child; child; child = child->next) {
            if (cJSON_IsNull(child)) continue; /* null is the same as an absent field */
            push_json(L, child);
            lua_setfield(L, -2, child->string);
        }
        break;
    }
    case cJSON_Array: {
        int count = 0;
        for (const cJSON *child = value->child; child; child = child->next) count++;
        lua_createtable(L, count, 0);
        lua_Integer index = 1;
        for (const cJSON *child = value->child; child; child = child->next) {
            push_json(L, child);
            lua_rawseti(L, -2, index++);
        }
        break;
    }
    case cJSON_String:
        lua_pushstring(L, value->valuestring);
        break;
    case cJSON_Number: {
        double number = value->valuedouble;
        /* Counts are integers in Lua, as Trellis gives them. */
        if (number >= -9007199254740992.0 && number <= 9007199254740992.0 && number == (double)(lua_Integer)number)
            lua_pushinteger(L, (lua_Integer)number);
        else
            lua_pushnumber(L, number);
        break;
    }
    case cJSON_True:
        lua_pushboolean(L, 1);
        break;
    case cJSON_False:
        lua_pushboolean(L, 0);
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

/* ---- Lua to JSON text -------------------------------------------------------------------- */

typedef struct {
    char *bytes;
    size_t length, capacity;
} Buffer;

static void reserve(Buffer *b, size_t more) {
    if (b->length + more <= b->capacity) return;
    size_t capacity = b->capacity ? b->capacity : 4096;
    while (capacity < b->length + more) capacity *= 2;
    b->bytes = realloc(b->bytes, capacity);
    if (!b->bytes) { perror("realloc"); exit(2); }
    b->capacity = capacity;
}

static void append(Buffer *b, const char *text, size_t length) {
    reserve(b, length);
    memcpy(b->bytes + b->length, text, length);
    b->length += length;
}

static void append_string(Buffer *b, const char *text, size_t length) {
    reserve(b, length * 6 + 2);
    char *out = b->bytes + b->length;
    *out++ = '"';
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') { *out++ = '\\'; *out++ = (char)c; }
        else if (c == '\n') { *out++ = '\\'; *out++ = 'n'; }
        else if (c == '\t') { *out++ = '\\'; *out++ = 't'; }
        else if (c == '\r') { *out++ = '\\'; *out++ = 'r'; }
        else if (c < 0x20) out += sprintf(out, "\\u%04x", c);
        else *out++ = (char)c;
    }
    *out++ = '"';
    b->length = (size_t)(out - b->bytes);
}

static void append_value(lua_State *L, Buffer *b, int index, int depth);

/* A table with 1..n is a list; any other table an object of its string keys. */
static void append_table(lua_State *L, Buffer *b, int index, int depth) {
    lua_Unsigned n = lua_rawlen(L, index);
    if (n > 0) {
        append(b, "[", 1);
        for (lua_Unsigned i = 1; i <= n; i++) {
            if (i > 1) append(b, ",", 1);
            lua_rawgeti(L, index, (lua_Integer)i);
            append_value(L, b, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
        }
        append(b, "]", 1);
        return;
    }
    append(b, "{", 1);
    int first = 1;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            size_t length;
            const char *key = lua_tolstring(L, -2, &length);
            if (!first) append(b, ",", 1);
            first = 0;
            append_string(b, key, length);
            append(b, ":", 1);
            append_value(L, b, lua_gettop(L), depth + 1);
        }
        lua_pop(L, 1);
    }
    append(b, "}", 1);
}

static void append_value(lua_State *L, Buffer *b, int index, int depth) {
    char number[64];
    switch (lua_type(L, index)) {
    case LUA_TSTRING: {
        size_t length;
        const char *text = lua_tolstring(L, index, &length);
        append_string(b, text, length);
        break;
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, index))
            append(b, number, (size_t)snprintf(number, sizeof number, "%lld", (long long)lua_tointeger(L, index)));
        else
            append(b, number, (size_t)snprintf(number, sizeof number, "%.17g", lua_tonumber(L, index)));
        break;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, index)) append(b, "true", 4);
        else append(b, "false", 5);
        break;
    case LUA_TTABLE:
        if (depth < 64) { append_table(L, b, index, depth); break; }
        /* fall through */
    default:
        append(b, "null", 4);
        break;
    }
}

/* ---- The host ---------------------------------------------------------------------------- */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *read_file(const char *path, size_t *length) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(2); }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *bytes = malloc((size_t)size + 1);
    if (!bytes || fread(bytes, 1, (size_t)size, file) != (size_t)size) { perror(path); exit(2); }
    bytes[size] = 0;
    fclose(file);
    *length = (size_t)size;
    return bytes;
}

static void push_strings(lua_State *L, const char *const *names, int count) {
    lua_createtable(L, count, 0);
    for (int i = 0; i < count; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

int main(int argc, char **argv) {
    int phases = 0;
    const char *output = NULL, *positional[3];
    int positionals = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--phase") == 0) phases = 1;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) output = argv[++i];
        else if (positionals < 3) positional[positionals++] = argv[i];
        else positionals = 4;
    }
    if (positionals != 3) {
        fprintf(stderr, "usage: host [--phase] [-o OUT] RULE.lua HEADER.json ROSTER.ndjson|-\n");
        return 64;
    }
    const char *rule_path = positional[0], *header_path = positional[1], *roster_path = positional[2];

    lua_State *L = luaL_newstate();
    luaL_openlibs(L);

    /* 1: the rule table, 2: its evaluate function, 3: ctx. */
    if (luaL_loadfilex(L, rule_path, "t") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1));
        return 2;
    }
    if (!lua_istable(L, 1) || lua_getfield(L, 1, "evaluate") != LUA_TFUNCTION) {
        fprintf(stderr, "%s: the rule must return a table with evaluate\n", rule_path);
        return 2;
    }
    lua_getfield(L, 1, "id");
    char *rule_id = strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "rule");
    lua_pop(L, 1);
    lua_getfield(L, 1, "priority");
    lua_Integer priority = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);

    size_t header_length;
    char *header_text = read_file(header_path, &header_length);
    cJSON *header = cJSON_ParseWithLength(header_text, header_length);
    if (!cJSON_IsObject(header)) { fprintf(stderr, "%s: not a JSON object\n", header_path); return 2; }
    push_json(L, header);
    cJSON_Delete(header);
    free(header_text);
    if (lua_getfield(L, 3, "ladders") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 2);
        lua_setfield(L, 3, "ladders");
        lua_getfield(L, 3, "ladders");
    }
    static const char *const prompt[] = {"full_physical", "partial_physical", "model", "gestural", "verbal", "independent"};
    static const char *const stage[] = {"modeled", "guided", "collaborative", "structured", "independent"};
    if (lua_getfield(L, -1, "prompt") != LUA_TTABLE) { push_strings(L, prompt, 6); lua_setfield(L, -3, "prompt"); }
    lua_pop(L, 1);
    if (lua_getfield(L, -1, "stage") != LUA_TTABLE) { push_strings(L, stage, 5); lua_setfield(L, -3, "stage"); }
    lua_pop(L, 2);
    lua_newtable(L);
    lua_setfield(L, 3, "params");
    lua_createtable(L, 0, 1);
    lua_pushstring(L, rule_id);
    lua_setfield(L, -2, "id");
    lua_setfield(L, 3, "rule");

    FILE *in = strcmp(roster_path, "-") == 0 ? stdin : fopen(roster_path, "rb");
    if (!in) { perror(roster_path); return 2; }
    FILE *out = output ? fopen(output, "wb") : stdout;
    if (!out) { perror(output); return 2; }
    setvbuf(in, NULL, _IOFBF, 1 << 20);
    setvbuf(out, NULL, _IOFBF, 1 << 20);

    char suffix[160];
    int suffix_length = snprintf(suffix, sizeof suffix, ",\"rule\":");
    Buffer tail = {0};
    append(&tail, suffix, (size_t)suffix_length);
    append_string(&tail, rule_id, strlen(rule_id));
    suffix_length = snprintf(suffix, sizeof suffix, ",\"priority\":%lld}", (long long)priority);
    append(&tail, suffix, (size_t)suffix_length);

    double t_read = 0, t_parse = 0, t_build = 0, t_rule = 0, t_write = 0, t0 = 0, t1 = 0;
    char *line = NULL;
    size_t line_capacity = 0;
    ssize_t length;
    long students = 0, recommendations = 0, failures = 0, lineno = 0;
    Buffer b = {0};

    for (;;) {
        if (phases) t0 = now();
        length = getline(&line, &line_capacity, in);
        if (phases) { t1 = now(); t_read += t1 - t0; t0 = t1; }
        if (length < 0) break;
        lineno++;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
        if (length == 0) continue;

        cJSON *student = cJSON_ParseWithLength(line, (size_t)length);
        if (phases) { t1 = now(); t_parse += t1 - t0; t0 = t1; }
        if (!cJSON_IsObject(student)) {
            fprintf(stderr, "line %ld: not a JSON object\n", lineno);
            cJSON_Delete(student);
            failures++;
            continue;
        }
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(student, "id");
        const char *student_id = cJSON_IsString(id) ? id->valuestring : "";

        lua_pushvalue(L, 2);
        push_json(L, student);
        lua_pushvalue(L, 3);
        if (phases) { t1 = now(); t_build += t1 - t0; t0 = t1; }
        int status = lua_pcall(L, 2, 1, 0);
        if (phases) { t1 = now(); t_rule += t1 - t0; t0 = t1; }

        b.length = 0;
        append(&b, "{\"student\":", 11);
        append_string(&b, student_id, strlen(student_id));
        append(&b, ",\"recommendations\":[", 20);
        if (status != LUA_OK) {
            fprintf(stderr, "%s: %s: %s\n", student_id, rule_id, lua_tostring(L, -1));
            failures++;
        } else if (lua_istable(L, -1)) {
            int list = lua_gettop(L);
            lua_Unsigned n = lua_rawlen(L, list);
            for (lua_Unsigned i = 1; i <= n; i++) {
                if (lua_rawgeti(L, list, (lua_Integer)i) == LUA_TTABLE) {
                    if (b.bytes[b.length - 1] != '[') append(&b, ",", 1);
                    append_table(L, &b, lua_gettop(L), 0);
                    if (b.bytes[b.length - 1] == '}') { /* add the rule's id and priority */
                        b.length--;
                        if (b.bytes[b.length - 1] == '{') append(&b, tail.bytes + 1, tail.length - 1);
                        else append(&b, tail.bytes, tail.length);
                    }
                    recommendations++;
                }
                lua_pop(L, 1);
            }
        }
        append(&b, "]}\n", 3);
        fwrite(b.bytes, 1, b.length, out);
        lua_settop(L, 3);
        students++;
        if (phases) { t1 = now(); t_write += t1 - t0; t0 = t1; }
        cJSON_Delete(student); /* counted with parsing */
        if (phases) { t1 = now(); t_parse += t1 - t0; }
    }
    if (fflush(out) != 0 || (output && fclose(out) != 0)) { perror(output ? output : "stdout"); return 2; }

    if (phases) {
        double total = t_read + t_parse + t_build + t_rule + t_write;
        double us = students ? 1e6 / (double)students : 0;
        fprintf(stderr, "phases (%ld students): read %.3f s (%.1f us), parse %.3f s (%.1f us), build tables %.3f s (%.1f us), "
                        "rule %.3f s (%.1f us), write %.3f s (%.1f us), total %.3f s\n",
                students, t_read, t_read * us, t_parse, t_parse * us, t_build, t_build * us, t_rule, t_rule * us,
                t_write, t_write * us, total);
    }
    fprintf(stderr, "%ld students, %ld recommendations, %ld failures\n", students, recommendations, failures);
    lua_close(L);
    free(line);
    free(b.bytes);
    free(tail.bytes);
    free(rule_id);
    return failures ? 1 : 0;
}
