/** The server's JSON API, typed by src/web/wire.ts (types only: no zod in the bundle). */
import type {
  BenchSummary,
  EditReply,
  ParamRow,
  RenderReply,
  RunDetail,
  RunSummary,
  ServerConfig,
  StageDetail,
  StreamMessage,
} from "../../src/web/wire.ts";

export type {
  BenchSummary,
  EditReply,
  ParamRow,
  RenderReply,
  RunDetail,
  RunSummary,
  ServerConfig,
  StageDetail,
  StreamMessage,
};

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

function post<T>(url: string, body: unknown): Promise<T> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((r) => json<T>(r));
}

/** Samples of the re-render after a hand edit (scripts/bench-web.ts measures the same). */
export const PREVIEW_SAMPLES = 4;

export const api = {
  runs: () => fetch("/api/runs").then((r) => json<RunSummary[]>(r)),
  bench: () => fetch("/api/bench").then((r) => json<BenchSummary[]>(r)),
  config: () => fetch("/api/config").then((r) => json<ServerConfig>(r)),
  stage: (id: string, stage: string) =>
    fetch(`/api/runs/${id}/stages/${encodeURIComponent(stage)}`).then((r) => json<StageDetail>(r)),
  edit: (id: string, instruction: string, params: Record<string, unknown>) =>
    post<EditReply>(`/api/runs/${id}/edit`, { instruction, params }),
  run: (id: string) => fetch(`/api/runs/${id}`).then((r) => json<RunDetail>(r)),
  start: (form: FormData) =>
    fetch("/api/runs", { method: "POST", body: form }).then((r) => json<{ id: string }>(r)),
  cancel: (id: string) => post<{ status: string }>(`/api/runs/${id}/cancel`, {}),
  resume: (id: string) => post<{ id: string }>(`/api/runs/${id}/resume`, {}),
  params: (id: string) => fetch(`/api/runs/${id}/params`).then((r) => json<ParamRow[]>(r)),
  /** 320 px wide at the photo's aspect: the size the re-render latency target is stated for. */
  render: (id: string, params: Record<string, unknown>, aspect: number) =>
    post<RenderReply>(`/api/runs/${id}/render`, {
      params,
      width: 320,
      height: Math.round(320 / aspect),
      // 4 samples: the preview stays under the 1 s target on a busy 2-core machine (8 took ~0.9 s
      // at load 7, 4 took ~0.55 s); the saved program renders at full quality wherever it is used.
      samples: PREVIEW_SAMPLES,
    }),
  relight: (id: string, params: Record<string, unknown>, sky: string) =>
    post<RenderReply>(`/api/runs/${id}/relight`, { params, sky }),
  save: (id: string, params: Record<string, unknown>) =>
    post<{ program: string }>(`/api/runs/${id}/save`, { params }),
  events: (id: string, on: (m: StreamMessage) => void): EventSource => {
    const source = new EventSource(`/api/runs/${id}/events`);
    source.onmessage = (e) => {
      const m = JSON.parse(e.data) as StreamMessage;
      on(m);
      if (m.kind === "end") source.close();
    };
    return source;
  },
};
