/** Tools on one scene program or image: render_program, compare_images, get_scene. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import sharp from "sharp";
import { z } from "zod";
import { compare, render } from "../api/scene.ts";
import { describeScene } from "../api/scene-info.ts";
import { resolveRender } from "../bench/image-score.ts";
import { ObjectStats } from "../blender/protocol.ts";
import { MetricReport } from "../metrics/metric-report.ts";
import type { ServerContext } from "./context.ts";
import { imageContent, textContent } from "./images.ts";
import { ImageFile, RenderOutput, summariseObjects } from "./schemas.ts";
import { guarded, outputFolder, ProgramArgs, programArg, result } from "./tool-kit.ts";

export async function describeImages(ctx: ServerContext, images: { name: string; path: string }[]) {
  return Promise.all(
    images.map(async (i) => {
      const meta = await sharp(i.path).metadata();
      return ImageFile.parse({
        name: i.name,
        path: ctx.workspace.show(i.path),
        width: meta.width,
        height: meta.height,
      });
    }),
  );
}

function registerRender(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "render_program",
    {
      title: "Render a scene program",
      description:
        "Run a seig scene program in the sandboxed Blender pool and render it (Cycles, fixed seed), plus optional orbit views. Returns the images, the per-factor fingerprint and what the scene contains. Programs may import only bpy, bmesh, mathutils, math, random.",
      inputSchema: {
        ...ProgramArgs,
        width: z.number().int().min(8).max(2048).default(320),
        height: z.number().int().min(8).max(2048).default(240),
        samples: z.number().int().min(1).max(1024).default(16),
        seed: z.number().int().min(0).default(0),
        orbit_views: z
          .number()
          .int()
          .min(0)
          .max(12)
          .default(0)
          .describe("extra views on an orbit around the scene"),
        out_dir: z
          .string()
          .optional()
          .describe("folder for the PNGs, inside the workspace (default seig-mcp/renders/…)"),
      },
      outputSchema: RenderOutput,
    },
    (args) =>
      guarded(async () => {
        const program = await programArg(ctx, args);
        const outDir = await outputFolder(ctx, args.out_dir, "renders", ctx.nextId("render"));
        const rendered = await render(program, {
          pool: ctx.pool,
          outDir,
          width: args.width,
          height: args.height,
          samples: args.samples,
          seed: args.seed,
          views: args.orbit_views,
        });
        const images = await describeImages(ctx, rendered.images);
        const summary = `rendered ${images.length} view(s) at ${args.width}×${args.height} in ${rendered.renderSeconds.toFixed(2)} s: ${images.map((i) => i.path).join(", ")}`;
        return result(
          {
            images,
            fingerprint: rendered.fingerprint,
            objects: summariseObjects(rendered.objects),
            render_seconds: rendered.renderSeconds,
            blender_version: rendered.blenderVersion,
          },
          [textContent(summary), ...(await Promise.all(rendered.images.map((i) => imageContent(i.path))))],
        );
      }),
  );
}

function registerCompare(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "compare_images",
    {
      title: "Compare a render with its target",
      description:
        "PSNR, SSIM, LPIPS (and CLIP/DINO when the server was started with --semantic and their models load; otherwise null with the reason in `unavailable`), at the target's resolution.",
      inputSchema: {
        target: z.string().describe("target image, relative to the workspace root"),
        image: z.string().describe("rendered image, or a run folder (its final.png)"),
      },
      outputSchema: MetricReport.shape,
    },
    (args) =>
      guarded(async () => {
        const target = await ctx.workspace.existing(args.target, "target");
        const image = await resolveRender(await ctx.workspace.existing(args.image, "image"));
        const report = await compare(target, image, { models: ctx.models });
        const line = `PSNR ${report.psnr?.toFixed(2)} dB, SSIM ${report.ssim?.toFixed(4)}, LPIPS ${report.lpips?.toFixed(4) ?? "unavailable"}`;
        return result(report, [textContent(line)]);
      }),
  );
}

function registerGetScene(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "get_scene",
    {
      title: "Describe a scene program",
      description:
        "Build a program (no render) and list its objects, its PARAMS grouped by the stage whose section reads them, its camera and its lights.",
      inputSchema: ProgramArgs,
      outputSchema: {
        objects: z.array(ObjectStats),
        params_by_stage: z.record(z.string(), z.record(z.string(), z.unknown())),
        camera: ObjectStats.nullable(),
        lights: z.array(ObjectStats),
      },
    },
    (args) =>
      guarded(async () => {
        const info = await describeScene(await programArg(ctx, args), { pool: ctx.pool });
        const names = info.objects.map((o) => `${o.name} (${o.type.toLowerCase()})`).join(", ");
        return result(
          {
            objects: info.objects,
            params_by_stage: info.paramsByStage,
            camera: info.camera,
            lights: info.lights,
          },
          [textContent(`${info.objects.length} objects: ${names}`)],
        );
      }),
  );
}

export function registerSceneTools(server: McpServer, ctx: ServerContext): void {
  registerRender(server, ctx);
  registerCompare(server, ctx);
  registerGetScene(server, ctx);
}
