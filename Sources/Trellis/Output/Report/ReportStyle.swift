/// The report's only style sheet, inline in each file. System fonts only (no font is fetched);
/// every text colour meets WCAG AA contrast on its background (4.5:1 and more); print rules
/// for A4 and Letter alike (the paper is the printer's: the content fits the narrower A4 width
/// and the shorter Letter height), a page per section, staff member and student, and no chart
/// cut across pages.
enum ReportStyle {
    /// Forbids every request: no script, font, image, frame or connection; inline style only.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

    static let css = """
        :root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c9ced6;--accent:#1f4e9c;--paper:#fff;--soft:#f4f6f9}
        *{box-sizing:border-box}
        html{color:var(--ink);background:var(--paper);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}
        body{margin:0 auto;max-width:1040px;padding:0 20px 40px}
        a{color:var(--accent)}
        a:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
        h1{font-size:1.7rem;margin:18px 0 6px}
        h2{font-size:1.4rem;margin:0 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
        h3{font-size:1.1rem;margin:18px 0 6px}
        h4{font-size:.95rem;margin:10px 0 4px;color:var(--muted)}
        .sub{font-weight:normal;color:var(--muted);font-size:.85em}
        .lede{color:var(--muted);margin:4px 0 12px}
        .empty-note{padding:10px 12px;background:var(--soft);border-left:4px solid var(--line)}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        nav{margin:6px 0 18px;font-size:.92rem}
        nav ul{list-style:none;margin:0 0 4px;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
        nav .students-nav li:first-child{color:var(--muted)}
        section.page{margin:28px 0;padding-top:4px}
        .counts{list-style:none;padding:0;margin:6px 0 16px;display:flex;flex-wrap:wrap;gap:8px}
        .counts li{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 10px}
        .staff-group{margin:14px 0 8px;padding:2px 12px 8px;border:1px solid var(--line);border-radius:8px}
        .staff-group h3{margin-top:8px}
        ul.actions,ul.today-list,ul.plain,ul.lights{list-style:none;padding:0;margin:4px 0}
        li.action,ul.today-list>li{padding:6px 0;border-top:1px solid #e3e6eb}
        li.action:first-child,ul.today-list>li:first-child{border-top:0}
        .who{font-weight:600}
        .skill{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em;background:var(--soft);border:1px solid #dde1e7;border-radius:4px;padding:0 4px}
        .change{color:var(--ink)}
        .kind{color:var(--muted);font-size:.85em}
        .reason{color:var(--muted);font-size:.9rem;margin-top:2px}
        .badge{display:inline-block;min-width:5.5em;text-align:center;font-size:.78rem;font-weight:700;letter-spacing:.02em;border-radius:4px;padding:1px 6px;border:1px solid}
        .b-forward{background:#d8f0dd;color:#0b4d1f;border-color:#7cc08e}
        .b-back{background:#fde0dc;color:#8a1c0c;border-color:#e59a8f}
        .b-hold{background:#eceff3;color:#333;border-color:#b8bfc9}
        .b-menu{background:#e6e3f7;color:#3b2c85;border-color:#a99fdc}
        .b-other{background:#dcebfb;color:#0d3f73;border-color:#8db5e0}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        th,td{text-align:left;vertical-align:top;padding:5px 7px;border-bottom:1px solid #dde1e7}
        thead th{border-bottom:2px solid var(--ink);font-size:.85rem}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .staff-table tr.first>*{border-top:2px solid #9aa3af}
        .staff-table td:nth-child(2),.staff-table th[scope=row]{white-space:nowrap}
        .staff-table .reason{font-size:.82rem}
        .ladder-word{color:var(--muted);font-size:.8em}
        .legend{font-size:.85rem;margin:6px 0 12px}
        .legend>div{margin:3px 0}
        .legend-title{display:inline-block;min-width:7em;color:var(--muted)}
        .chip{display:inline-block;border:1px solid #9aa3af;border-radius:3px;padding:0 5px;margin:1px 0}
        .grid-wrap{overflow-x:auto;margin:8px 0 16px}
        table.grid caption{caption-side:top;text-align:left;color:var(--muted);font-size:.85rem;padding:2px 0}
        table.grid th,table.grid td{border:1px solid #b8bfc9;font-size:.8rem;min-width:6.5em}
        table.grid thead th{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.75rem;word-break:break-word}
        td.cell .lvl-name{font-weight:600}
        td.cell .today{font-size:.75rem;margin-top:2px}
        td.none{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#f1f3f6 4px,#f1f3f6 8px)}
        .trend{font-size:.8em}
        .mastered{color:#6b4e00}
        .t0{background:#fff4e0}.t1{background:#fde3c0}.t2{background:#e9ecc0}.t3{background:#cde8c9}.t4{background:#a9dcc4}.t5{background:#86cbb9}.t-unknown{background:#fff}
        .student h2 .sub{margin-left:6px}
        .skill-block{margin:16px 0 10px}
        .skill-block h3{margin-bottom:4px}
        figure.chart{margin:0;padding:0}
        figure.chart svg{width:100%;max-width:860px;height:auto;display:block}
        figure.chart figcaption{font-size:.82rem;color:var(--muted);margin:2px 0 4px;max-width:860px}
        details{margin:2px 0 6px}
        details summary{cursor:pointer;color:var(--accent);font-size:.85rem}
        details.numbers table{max-width:680px;font-size:.8rem}
        details.evidence dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0;font-size:.82rem}
        details.evidence dt{color:var(--muted)}
        details.evidence dd{margin:0}
        details.evidence ul{margin:0;padding-left:18px;font-size:.82rem}
        caption{caption-side:top;text-align:left;font-size:.8rem;color:var(--muted)}
        svg text{font-family:system-ui,"DejaVu Sans",Arial,sans-serif}
        .chart-title{font-size:13px;font-weight:700;fill:#1b1b1b}
        .axis,.lane-label{font-size:10.5px;fill:#444}
        .axis-title,.lane-title{font-size:10.5px;fill:#444;font-style:italic}
        .trials{font-size:10px;fill:#555}
        .grid{stroke:#dfe3e8;stroke-width:1}
        .lane-grid{stroke:#eef0f3;stroke-width:1}
        .criterion{stroke:#1e6b35;stroke-width:1.6;stroke-dasharray:6 4}
        .criterion-label{font-size:10.5px;fill:#1e6b35;font-weight:600}
        .phase{stroke:#555;stroke-width:1.2;stroke-dasharray:3 3}
        .phase-label{font-size:10px;fill:#333}
        .data{fill:none;stroke:#1f4e9c;stroke-width:2}
        .point{fill:#1f4e9c;stroke:#fff;stroke-width:1.5}
        .point.few{fill:#fff;stroke:#1f4e9c;stroke-width:2}
        .point.none{fill:none;stroke:#8a1c0c;stroke-width:2}
        .step{fill:none;stroke:#9a4d00;stroke-width:2.5}
        .empty{font-size:12px;fill:#555}
        .light-green{fill:#1e7b34}.light-yellow{fill:#f0c419;stroke:#7a5d00;stroke-width:1}.light-red{fill:#c0291b}
        ul.lights li{margin:3px 0}
        ul.lights svg{vertical-align:-3px}
        ul.goals{padding-left:20px}
        ul.goals ul{font-size:.9rem;color:var(--muted)}
        .menus{display:flex;flex-wrap:wrap;gap:10px}
        .menu{border:1px solid var(--line);border-radius:8px;padding:6px 12px;flex:1 1 280px}
        .menu-skill{font-weight:600}
        .menu ol{margin:4px 0;padding-left:22px}
        ul.undecided li{padding:4px 0;border-top:1px solid #e3e6eb;font-size:.9rem;color:var(--muted)}
        ul.undecided li.error{color:#8a1c0c}
        .focus-message{border:2px solid var(--accent);border-radius:8px;padding:4px 16px;background:#f7faff}
        .focus-subject{font-size:1.05rem}
        pre{white-space:pre-wrap;background:var(--soft);padding:10px;border-radius:6px;font-size:.85rem}
        .index-table th a{font-weight:600}
        footer{margin-top:30px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
        @page{margin:12mm}
        @page grid{size:landscape;margin:10mm}
        @media print{
          html{font-size:10.5pt}
          body{max-width:none;padding:0}
          .no-print,details>summary,details.numbers,details.evidence,details.plain-text{display:none}
          section.page{margin:0}
          main>section.page{break-before:page}
          .report-header+main>section.page:first-child{break-before:auto}
          .grid-page{page:grid}
          .grid-wrap{overflow:visible}
          h2,h3,h4{break-after:avoid}
          figure.chart svg{max-width:180mm}
          figure.chart,li.action,ul.today-list>li,.menu,.staff-table tr,table.grid tr{break-inside:avoid}
          .skill-block{break-inside:avoid}
          a{color:inherit;text-decoration:none}
          .staff-group{border-color:#999}
        }
        """
}
