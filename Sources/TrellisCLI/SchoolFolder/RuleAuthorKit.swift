import Foundation
import Trellis

/// Where the rule author's kit is: the LuaLS definitions of the rule API (`types/trellis.lua`)
/// and the luacheck settings of the sandbox (`luacheckrc`).
///
/// The Debian package installs it in `/usr/share/trellis` beside `/usr/bin/trellis`, so it is
/// looked for in `../share/trellis` from the executable (any prefix: `/usr/local` too). A
/// developer's build (`.build/debug/trellis`) finds the source checkout it was built from: its
/// `types/` and `.luacheckrc` are the same files.
struct RuleAuthorKit {
    /// The folder LuaLS reads definitions from (`workspace.library`).
    var typesDirectory: String
    /// The luacheck settings the school's `.luacheckrc` loads.
    var luacheckSettings: String

    /// The installed kit's place, used when no kit is found (the folder then works once the
    /// package is installed).
    static let installed = RuleAuthorKit(typesDirectory: "/usr/share/trellis/types", luacheckSettings: "/usr/share/trellis/luacheckrc")

    /// The kit beside the running executable, else that of the checkout it was built in.
    static func find() -> RuleAuthorKit? {
        let files = FileManager.default
        // The executable itself, wherever a link on PATH to it stands.
        guard let path = try? files.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let executable = URL(fileURLWithPath: path)
        let binDirectory = executable.deletingLastPathComponent()
        let share = binDirectory.deletingLastPathComponent().appending(path: "share/trellis")
        let installed = RuleAuthorKit(
            typesDirectory: share.appending(path: "types").path(percentEncoded: false),
            luacheckSettings: share.appending(path: "luacheckrc").path(percentEncoded: false))
        if installed.exists { return installed }
        var directory = binDirectory
        while directory.path(percentEncoded: false) != "/" {
            if files.fileExists(atPath: directory.appending(path: "Package.swift").path(percentEncoded: false)) {
                let checkout = RuleAuthorKit(
                    typesDirectory: directory.appending(path: "types").path(percentEncoded: false),
                    luacheckSettings: directory.appending(path: ".luacheckrc").path(percentEncoded: false))
                return checkout.exists ? checkout : nil
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    private var exists: Bool {
        FileManager.default.fileExists(atPath: typesDirectory + "/trellis.lua") && FileManager.default.fileExists(atPath: luacheckSettings)
    }

    /// The school folder's `.luarc.json`: LuaLS reads the rule API's definitions from the kit
    /// and knows what the sandbox leaves out.
    var luarc: String {
        let library = JSONValue.string(typesDirectory).jsonText
        return """
            {
              "$schema": "https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json",
              "runtime": {
                "version": "Lua 5.4",
                "builtin": { "io": "disable", "debug": "disable", "package": "disable", "os": "disable" }
              },
              "workspace": { "library": [\(library)], "checkThirdParty": false },
              "diagnostics": { "globals": ["trellis"] }
            }

            """
    }

    /// The school folder's `.luacheckrc`: runs the kit's settings, which define what the
    /// sandbox gives a rule and the helper library, so `luacheck .` in the folder checks the
    /// rules against them. luacheck runs its configuration under Lua 5.1 or later.
    var luacheckrc: String {
        // A long bracket: no escape to get wrong whatever the path holds.
        let path = "[==[\(luacheckSettings)]==]"
        return """
            -- luacheck settings for this folder's rules (Debian: apt-get install lua-check; run: luacheck .).
            -- They are Trellis's own, from its rule author's kit: what the sandbox gives a rule
            -- (no print, io, require...) and the trellis helper library.
            local kit = \(path)
            local file = assert(io.open(kit, "r"), "the Trellis rule author's kit is not at " .. kit)
            local source = file:read("*a")
            file:close()
            local env = getfenv and getfenv(1) or _ENV
            local chunk
            if setfenv then
              chunk = assert(loadstring(source, "@" .. kit))
              setfenv(chunk, env)
            else
              chunk = assert(load(source, "@" .. kit, "t", env))
            end
            chunk()

            """
    }
}
