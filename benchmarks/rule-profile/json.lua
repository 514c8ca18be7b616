-- A small JSON decoder for the rule profiler (plain lua5.4, no C module): objects become tables
-- with string keys, arrays lists, null nil, numbers integers where they are whole and written
-- without a fraction or exponent (as the engine pushes counts).
local json = {}

local byte, sub, find = string.byte, string.sub, string.find
local escapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }

local function fail(_, at, what)
    error(string.format("json: %s at byte %d", what, at), 0)
end

local value

local function skip(text, at)
    return find(text, "[^ \t\r\n]", at) or #text + 1
end

local function string_at(text, at)
    local parts, start = {}, at + 1
    while true do
        local stop = find(text, '["\\]', start)
        if stop == nil then fail(text, at, "unterminated string") end
        parts[#parts + 1] = sub(text, start, stop - 1)
        if byte(text, stop) == 34 then
            return table.concat(parts), stop + 1
        end
        local e = sub(text, stop + 1, stop + 1)
        if e == "u" then
            local code = tonumber(sub(text, stop + 2, stop + 5), 16)
            local next_at = stop + 6
            if code >= 0xD800 and code <= 0xDBFF and sub(text, next_at, next_at + 1) == "\\u" then
                local low = tonumber(sub(text, next_at + 2, next_at + 5), 16)
                code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
                next_at = next_at + 6
            end
            parts[#parts + 1] = utf8.char(code)
            start = next_at
        else
            parts[#parts + 1] = escapes[e] or fail(text, stop, "bad escape")
            start = stop + 2
        end
    end
end

function value(text, at)
    at = skip(text, at)
    local c = byte(text, at)
    if c == 123 then -- {
        local object = {}
        at = skip(text, at + 1)
        if byte(text, at) == 125 then return object, at + 1 end
        while true do
            local key
            key, at = string_at(text, skip(text, at))
            at = skip(text, at)
            if byte(text, at) ~= 58 then fail(text, at, "expected ':'") end
            object[key], at = value(text, at + 1)
            at = skip(text, at)
            c = byte(text, at)
            if c == 125 then return object, at + 1 end
            if c ~= 44 then fail(text, at, "expected ',' or '}'") end
            at = at + 1
        end
    elseif c == 91 then -- [
        local list = {}
        at = skip(text, at + 1)
        if byte(text, at) == 93 then return list, at + 1 end
        while true do
            list[#list + 1], at = value(text, at)
            at = skip(text, at)
            c = byte(text, at)
            if c == 93 then return list, at + 1 end
            if c ~= 44 then fail(text, at, "expected ',' or ']'") end
            at = at + 1
        end
    elseif c == 34 then
        return string_at(text, at)
    elseif sub(text, at, at + 3) == "true" then
        return true, at + 4
    elseif sub(text, at, at + 4) == "false" then
        return false, at + 5
    elseif sub(text, at, at + 3) == "null" then
        return nil, at + 4
    end
    local number = string.match(text, "^-?%d+%.?%d*[eE]?[-+]?%d*", at)
    if number == nil then fail(text, at, "unexpected character") end
    local n = find(number, "[.eE]") and tonumber(number) or math.tointeger(tonumber(number))
    return n, at + #number
end

--- Decodes one JSON text.
function json.decode(text)
    local result, at = value(text, 1)
    if skip(text, at) <= #text then fail(text, at, "trailing characters") end
    return result
end

return json
