import { describe, expect, it } from "vitest";
import { barChart, lineChart, niceTicks } from "../src/bench/plots.ts";
import {
  formatValue,
  median,
  presentColumns,
  summarise,
  type TableRow,
  tableCsv,
  tableMarkdown,
} from "../src/bench/table.ts";

const rows: TableRow[] = [
  { scene: "a", values: { psnr: 20, ssim: 0.5, lpips: null } },
  { scene: "b", values: { psnr: 30, ssim: 0.7, lpips: 0.2 } },
  { scene: "c", values: {}, error: "Blender crashed, twice" },
];

describe("tables", () => {
  it("summarises only the scenes that have a number", () => {
    const s = summarise(rows).filter((c) => ["psnr", "lpips", "dino"].includes(c.key));
    expect(s).toEqual([
      { key: "psnr", n: 2, mean: 25, median: 25 },
      { key: "lpips", n: 1, mean: 0.2, median: 0.2 },
      { key: "dino", n: 0, mean: null, median: null },
    ]);
    expect(median([3, 1, 2])).toBe(2);
  });

  it("drops columns no row has and writes blanks, not zeros, for missing numbers", () => {
    expect(presentColumns(rows).map((c) => c.key)).toEqual(["psnr", "ssim", "lpips"]);
    const csv = tableCsv(rows).split("\n");
    expect(csv[0]).toBe("scene,psnr,ssim,lpips,error");
    expect(csv[1]).toBe("a,20,0.5,,");
    expect(csv[3]).toBe('c,,,,"Blender crashed, twice"');
    expect(csv[4]).toBe("mean,25,0.6,0.2,");
    const md = tableMarkdown(rows);
    expect(md).toContain("| a | 20.00 | 0.5000 | – |");
    expect(md).toContain("| **median** | 25.00 | 0.6000 | 0.2000 |");
    expect(formatValue(Number.POSITIVE_INFINITY, 2)).toBe("∞");
  });
});

describe("charts", () => {
  it("picks round ticks covering the range", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(12.3, 18.9)).toEqual([14, 16, 18]);
  });

  it("draws one bar per value and one line per series, escaping labels", () => {
    const bars = barChart("PSNR", "dB", [
      { label: "a<b", value: 10 },
      { label: "c", value: 20 },
    ]);
    expect(bars.match(/<rect x=/g)?.length).toBe(2);
    expect(bars).toContain("a&lt;b");
    const lines = lineChart(
      "t",
      { x: "stage", y: "PSNR" },
      [
        {
          name: "s1",
          points: [
            [0, 1],
            [1, 2],
          ],
        },
        {
          name: "s2",
          points: [
            [0, 2],
            [1, 3],
          ],
        },
      ],
      ["scaffold", "geometry"],
    );
    expect(lines.match(/<polyline/g)?.length).toBe(2);
    expect(lines).toContain(">geometry<");
  });
});
