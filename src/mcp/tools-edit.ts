/** Tools that change or export a program without a model: set_params, relight, export_scene. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { loadProgram } from "../api/program-ref.ts";
import { exportScene, relight, render, setParams } from "../api/scene.ts";
import { hexToLinear } from "../apps/color.ts";
import { SkyPreset } from "../apps/relight.ts";
import { InputError } from "../errors.ts";
import type { ServerContext } from "./context.ts";
import { imageContent, textContent } from "./images.ts";
import { ImageFile } from "./schemas.ts";
import { guarded, outputFolder, ProgramArgs, programArg, result } from "./tool-kit.ts";
import { describeImages } from "./tools-scene.ts";

const ParamValue = z.union([z.number(), z.string(), z.array(z.number()), z.boolean()]);

/** Where an edited program goes: `out` inside the root, or a fresh file under seig-mcp/programs. */
async function programOut(ctx: ServerContext, out: string | undefined, kind: string): Promise<string> {
  if (out !== undefined) return ctx.workspace.writable(out, "out");
  return path.join(await outputFolder(ctx, undefined, "programs", ctx.nextId(kind)), "program.py");
}

function registerSetParams(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "set_params",
    {
      title: "Set PARAMS values",
      description:
        'Write a copy of a program with PARAMS values changed, no model involved: {"cube1.color": "#ff0000", "cube1.location": [0, 0, 0.5], "sun.strength": 3}. Each value must have the current value\'s shape.',
      inputSchema: {
        ...ProgramArgs,
        values: z.record(z.string(), ParamValue),
        out: z.string().optional().describe("where to write the edited program, inside the workspace"),
      },
      outputSchema: { path: z.string(), params: z.record(z.string(), z.unknown()) },
    },
    (args) =>
      guarded(async () => {
        const edited = await setParams(await programArg(ctx, args), args.values as Record<string, never>);
        const file = await programOut(ctx, args.out, "set");
        await writeFile(file, edited, "utf8");
        return result({ path: ctx.workspace.show(file), params: args.values }, [
          textContent(`wrote ${ctx.workspace.show(file)}`),
        ]);
      }),
  );
}

function registerRelight(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "relight",
    {
      title: "Relight a scene program",
      description:
        "Replace only the lighting (sky preset and/or sun), proven by fingerprints to leave geometry, materials and composition unchanged; writes the relit program and renders a preview.",
      inputSchema: {
        ...ProgramArgs,
        sky: SkyPreset.optional(),
        sun_elevation_deg: z.number().min(-90).max(90).optional(),
        sun_azimuth_deg: z.number().optional(),
        sun_strength: z.number().min(0).optional(),
        sun_color: z.string().optional().describe("hex colour like #ffd2a0"),
        out: z.string().optional(),
        width: z.number().int().min(8).max(2048).default(320),
        height: z.number().int().min(8).max(2048).default(240),
      },
      outputSchema: { path: z.string(), images: z.array(ImageFile) },
    },
    (args) =>
      guarded(async () => {
        const file = await programOut(ctx, args.out, "relight");
        const relit = await relight(await programArg(ctx, args), {
          pool: ctx.pool,
          sky: args.sky,
          sunElevationDeg: args.sun_elevation_deg,
          sunAzimuthDeg: args.sun_azimuth_deg,
          sunStrength: args.sun_strength,
          sunColor: args.sun_color === undefined ? undefined : hexToLinear(args.sun_color),
          out: file,
        });
        const rendered = await render(
          { source: relit },
          {
            pool: ctx.pool,
            outDir: path.join(path.dirname(file), `${path.parse(file).name}-render`),
            width: args.width,
            height: args.height,
          },
        );
        return result(
          { path: ctx.workspace.show(file), images: await describeImages(ctx, rendered.images) },
          [textContent(`wrote ${ctx.workspace.show(file)}`), await imageContent(rendered.images[0]!.path)],
        );
      }),
  );
}

function registerExport(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "export_scene",
    {
      title: "Export a scene as .blend / .glb",
      description:
        "Build a program in the sandbox and save it as a .blend and/or glTF binary, at paths inside the workspace.",
      inputSchema: { ...ProgramArgs, blend: z.string().optional(), glb: z.string().optional() },
      outputSchema: { files: z.array(z.string()) },
    },
    (args) =>
      guarded(async () => {
        if (args.blend === undefined && args.glb === undefined)
          throw new InputError("say what to write: blend and/or glb (paths inside the workspace)");
        const program = await loadProgram(await programArg(ctx, args));
        const files = await exportScene(
          { source: program.source },
          {
            pool: ctx.pool,
            blend: args.blend === undefined ? undefined : await ctx.workspace.writable(args.blend, "blend"),
            glb: args.glb === undefined ? undefined : await ctx.workspace.writable(args.glb, "glb"),
          },
        );
        const shown = files.map((f) => ctx.workspace.show(f));
        return result({ files: shown }, [textContent(`wrote ${shown.join(", ")}`)]);
      }),
  );
}

export function registerEditTools(server: McpServer, ctx: ServerContext): void {
  registerSetParams(server, ctx);
  registerRelight(server, ctx);
  registerExport(server, ctx);
}
