/// The README `trellis init` writes for the school: what is in the folder and the commands that use it.
enum SchoolReadme {
    static func text(folder: String, sampleRule: String) -> String {
        """
        # \(folder): this school's Trellis rules

        Trellis runs the rules in this folder beside the ones it comes with (the bundled rules:
        `trellis rules` lists them). A rule here with a bundled rule's id replaces that rule.

        | file | what it is |
        | --- | --- |
        | `\(sampleRule).lua` | a sample rule: flags skills with too few sessions to decide. Edit it or delete it |
        | `tests/\(sampleRule).yaml` | its tests: a student given, what must come out |
        | `school.yaml` | every setting of every rule, at its default and commented out |
        | `.luarc.json` | tells the Lua language server (VS Code's "Lua", Neovim's lua_ls) what a rule receives |
        | `.luacheckrc` | tells luacheck what the sandbox gives a rule (no `print`: use `ctx.log`) |

        ## Every day

        ```sh
        trellis check \(folder) --config \(folder)/school.yaml      # every problem, with its file and line
        trellis test \(folder)                                     # the rules' tests (tests/*.yaml)
        trellis evaluate --rules \(folder) --config \(folder)/school.yaml --format table class.json
        trellis explain --rules \(folder) --student s-101 class.json
        trellis new another-rule --dir \(folder)                   # a new rule and its test
        ```

        To change a threshold, uncomment it in `school.yaml` (and the keys above it) and change the value;
        `trellis check --config` says which line is wrong and why.

        Inside a rule, `ctx.log(...)` prints to `trellis test` and `trellis explain`, never to a report.
        `man trellis` and `man trellis-SUBCOMMAND` describe each command.

        """
    }
}
