import ArgumentParser
import Trellis

/// `--date-order mdy|dmy`: how every import reads slashed dates such as 03/04/2026.
struct DateOrderOption: ParsableArguments {
    @Option(
        name: .customLong("date-order"),
        help: ArgumentHelp(
            "How to read slashed dates such as 03/04/2026: mdy (month first) or dmy (day first). Without it (or a map's or profile's date_order) they are faults.",
            valueName: "mdy|dmy"))
    var dateOrder: String?

    func validate() throws {
        if let dateOrder, SheetDateOrder(rawValue: dateOrder) == nil { throw ValidationError("--date-order must be mdy or dmy") }
    }

    /// The order given, if any.
    var order: SheetDateOrder? { dateOrder.flatMap(SheetDateOrder.init) }
}
