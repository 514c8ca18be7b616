#!/usr/bin/env bash
# Imports a generated sessions sheet of ROWS rows (trellis import sheet) and reports the time and
# the peak memory (maximum resident set size), for docs/performance.md.
# Usage: scripts/benchmark-import.sh [ROWS] [BINARY] [csv|xlsx]
#   (default: 100000 rows, .build/release/trellis, csv)
set -euo pipefail
rows="${1:-100000}"
binary="${2:-.build/release/trellis}"
kind="${3:-csv}"
[[ $kind == csv || $kind == xlsx ]] || { echo "usage: $0 [ROWS] [BINARY] [csv|xlsx]" >&2; exit 64; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$rows" "$work/sessions.$kind" "$kind" <<'PY'
import sys, datetime, zipfile
from xml.sax.saxutils import escape
rows, path, kind = int(sys.argv[1]), sys.argv[2], sys.argv[3]
levels = ["Full Physical", "Partial Physical", "Model", "Gestural", "Verbal", "Independent"]
skills = ["hand-washing", "zipping", "sight-words", "coat-hanging", "snack-prep"]
start = datetime.date(2026, 9, 1)
header = ["Date", "Student ID", "Student Name", "Skill", "Prompt Level", "Opportunities", "# Correct", "Setting", "Staff"]
def row(i):
    student = i % 2000
    day = start + datetime.timedelta(days=(i // 10000))
    return [day.isoformat(), f"s-{student:05d}", f"Student {student}", skills[(i // 2000) % len(skills)],
            levels[(i // 2000) % 6], 10, (i * 7) % 11, "classroom", "p-lee"]
if kind == "csv":
    with open(path, "w") as out:
        out.write(",".join(header) + "\n")
        for i in range(rows):
            out.write(",".join(str(v) for v in row(i)) + "\n")
else:
    # A workbook as spreadsheet programs write one: a ZIP of XML parts, text as shared strings,
    # numbers as numbers.
    strings, index = [], {}
    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]
    def cells(values, number):
        out = []
        for col, value in enumerate(values):
            ref = chr(ord("A") + col) + str(number)
            if isinstance(value, int):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>')
        return f'<row r="{number}">' + "".join(out) + "</row>"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'.encode())
            sheet.write(cells(header, 1).encode())
            for i in range(rows):
                sheet.write(cells(row(i), i + 2).encode())
            sheet.write(b"</sheetData></worksheet>")
        book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}">'
                      + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
        book.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
                      '<sheets><sheet name="Sessions" sheetId="1" r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?>'
                      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
PY
ls -l "$work/sessions.$kind" | awk '{print $5 " bytes of input"}'
/usr/bin/time -f "%e s elapsed, %M KB max resident" "$binary" import sheet --as-of 2026-11-20 -q -o "$work/class.ndjson" "$work/sessions.$kind"
ls -l "$work/class.ndjson" | awk '{print $5 " bytes of NDJSON"}'
