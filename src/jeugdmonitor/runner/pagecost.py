"""CPU cost of a warm municipality page, measured in one process: where a report page's time goes.

Builds the sections of notebook 03 (report and bijlage) for the given municipalities by calling
the report functions its cells call, after one page to warm up (imports, templates, first schema
checks), and prints CPU seconds (time.process_time: steadier than wall time on a shared
machine) per page and per chart, split into vl-convert's compiling and rendering and the rest
(pandas, Altair, templates). It runs once with the chart structures compiled once
(vegatemplates) and once compiling every chart in full, and checks the sections are the same.
Without the worker's notebook and HTML export: the runner adds those (see bench/README.md).

    python -m jeugdmonitor.runner.pagecost --year 2023 GM0503 GM0518 ...
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from jeugdmonitor.report import accountability, appendix, local, municipal, peers, subject, vegatemplates
from jeugdmonitor.report.inputs import Inputs, load_inputs


def page_sections(inputs: Inputs, code: str) -> list[str]:
    """The HTML of every section notebook 03 shows for municipality `code`, in its order."""
    r = subject.build(inputs, code)
    sections = [municipal.header(r), municipal.summary(r), municipal.introduction(r), municipal.goal_charts(r),
                municipal.summary_table(r), local.local_section(r), municipal.glossary(r), municipal.about(r),
                municipal.appendix_header(r)]
    sections += [appendix.kpi_section(r, kpi) for kpi in inputs.cfg.report_kpis] + [peers.section(r)]
    return sections + [appendix.goals_section(r), appendix.budget_lines_section(r),
                       accountability.quality_section(inputs, municipality=code),
                       accountability.accountability_section(inputs, {"gemeente": code, "jaar": inputs.year}, region=r.region)]


def measure(inputs: Inputs, codes: Sequence[str]) -> tuple[dict[str, float], list[list[str]]]:
    """CPU seconds of building the pages of `codes` (and their vl-convert steps), and the pages."""
    vegatemplates.stats.clear()
    start = time.process_time()
    built = [page_sections(inputs, code) for code in codes]
    total = time.process_time() - start
    stats = vegatemplates.stats
    charts = stats["calls_render"] + stats["calls_full"]
    kinds = {key.removeprefix("kind_calls_"): (count, stats[f"kind_cpu_{key.removeprefix('kind_calls_')}"])
             for key, count in stats.items() if key.startswith("kind_calls_")}
    return {"pages": len(codes), "charts": charts, "cpu": total,
            "vl_convert": stats["cpu_render"] + stats["cpu_full"] + stats["cpu_compile"],
            "compiles": stats["calls_compile"] + stats["calls_full"], "kinds": kinds}, built


def kinds_line(cost: dict) -> str:
    """vl-convert's rendering per kind of chart (from the spec's description): how many a page has
    and what they cost it, most costly first. Shows what a page pays for charts no other page shares."""
    pages = cost["pages"]
    parts = [f"{kind} {count / pages:.1f} per page, {cpu / pages:.3f} s per page ({cpu / count * 1000:.1f} ms each)"
             for kind, (count, cpu) in sorted(cost.get("kinds", {}).items(), key=lambda item: -item[1][1])]
    return "rendering per kind of chart: " + "; ".join(parts)


def report_line(label: str, cost: dict[str, float]) -> str:
    pages, charts = cost["pages"], max(cost["charts"], 1)
    return (f"{label}: cpu per page {cost['cpu'] / pages:.3f} s, per chart {cost['cpu'] / charts * 1000:.1f} ms "
            f"({charts / pages:.1f} charts per page); vl-convert {cost['vl_convert'] / pages:.3f} s per page "
            f"({cost['vl_convert'] / charts * 1000:.1f} ms per chart, {cost['compiles']:.0f} Vega-Lite compiles), "
            f"the rest {(cost['cpu'] - cost['vl_convert']) / pages:.3f} s per page")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CPU-kosten van een warme gemeentepagina, in één proces")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("codes", nargs="+", help="gemeentecodes; de eerste warmt alleen op")
    args = parser.parse_args(argv)
    inputs = load_inputs(args.year)
    page_sections(inputs, args.codes[0])
    vegatemplates.clear()
    with vegatemplates.disabled():
        full, unoptimised = measure(inputs, args.codes[1:])
    templated, optimised = measure(inputs, args.codes[1:])
    print(report_line("page, every chart compiled in full", full))
    print(report_line("page, chart structures compiled once", templated))
    print(kinds_line(templated))
    if optimised != unoptimised:
        print("FOUT: de pagina's verschillen met en zonder sjablonen", file=sys.stderr)
        return 1
    print(f"pages identical with and without templates: {len(optimised)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
