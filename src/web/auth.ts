/**
 * Access control: on 127.0.0.1 the page is open (only this machine reaches it); on any other
 * host every request needs the token printed at start — as a bearer header, or `?token=` once,
 * which sets a cookie so images, downloads and the event stream carry it from then on.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

export function newToken(): string {
  return randomBytes(18).toString("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const bearer = c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
    const query = c.req.query("token");
    const given = bearer ?? query ?? getCookie(c, "seig_token");
    if (!given || !same(given, token))
      return c.json({ error: "this server needs the token printed at its start" }, 401);
    if (query) setCookie(c, "seig_token", token, { httpOnly: true, sameSite: "Strict", path: "/" });
    await next();
  };
}
