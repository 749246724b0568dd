/**
 * What travels with a model call through the AI SDK's middleware chain. A call's purpose and
 * sequence number go down in `providerOptions.seig` (providers read only their own key, so they
 * never see it); who answered and what it cost come back up in `providerMetadata.seig`, set by the
 * cost middleware (live calls) or the replay middleware (recorded calls).
 */
import type { LanguageModelMiddleware, wrapLanguageModel } from "ai";
import { z } from "zod";

/** The AI SDK's provider-level types, derived from `ai` (which is the declared dependency). */
type WrapGenerate = NonNullable<LanguageModelMiddleware["wrapGenerate"]>;
export type SdkModel = ReturnType<typeof wrapLanguageModel>;
export type SdkCallOptions = Parameters<WrapGenerate>[0]["params"];
export type SdkPrompt = SdkCallOptions["prompt"];
export type SdkGenerateResult = Awaited<ReturnType<WrapGenerate>>;
export type SdkFinishReason = SdkGenerateResult["finishReason"]["unified"];
export type SdkProviderMetadata = NonNullable<SdkGenerateResult["providerMetadata"]>;

const KEY = "seig";

const callMetaSchema = z.object({ purpose: z.string(), seq: z.number().int().positive() });
export type CallMeta = z.infer<typeof callMetaSchema>;

const answerMetaSchema = z.object({ model: z.string(), costUsd: z.number().nullable() });
export type AnswerMeta = z.infer<typeof answerMetaSchema>;

/** The `providerOptions` of a call that carry its purpose and number to the middleware. */
export function callProviderOptions(meta: CallMeta): { [KEY]: CallMeta } {
  return { [KEY]: meta };
}

export function callMetaOf(params: SdkCallOptions): CallMeta {
  const meta = callMetaSchema.safeParse(params.providerOptions?.[KEY]);
  // Only our own client calls these models; a call without the metadata is a bug, not user input.
  if (!meta.success) throw new Error("model call without seig call metadata (purpose, seq)");
  return meta.data;
}

export function withAnswerMeta(result: SdkGenerateResult, meta: AnswerMeta): SdkGenerateResult {
  return { ...result, providerMetadata: { ...result.providerMetadata, [KEY]: meta } };
}

export function answerMetaOf(metadata: SdkProviderMetadata | undefined): AnswerMeta {
  const meta = answerMetaSchema.safeParse(metadata?.[KEY]);
  if (!meta.success) throw new Error("model answer without seig answer metadata (model, cost)");
  return meta.data;
}

/** The reply's text, as generateText assembles it from a single step. */
export function replyText(result: SdkGenerateResult): string {
  return result.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
}
