/**
 * Runtime shared by the generated integration clients: requests (auth, API version, connected account,
 * idempotency keys, form or JSON bodies), typed errors, auto-paging, and webhook signature verification
 * (Stripe, GitHub, Slack, Standard Webhooks) with Web Crypto. Targets Node 20+ (global fetch and crypto).
 *
 * The types it exports name no DOM or Node type: the few parts of `fetch` they mention (`FetchInit`,
 * `FetchResponse`, `HeadersReader`, `AbortSignalLike`) are declared here, so that an app compiles against
 * the package with neither the DOM lib nor `@types/node`. The global `fetch`, `Response`, `Headers` and
 * `AbortSignal` satisfy them.
 */

import { SDK_VERSION } from "./version.js";

/** The `User-Agent` the clients send unless a request sets one (where `fetch` allows it, as Node's does). */
export const USER_AGENT = `integration-spec-sdk/${SDK_VERSION}`;

/** What response headers are read through: the global `Headers` has it. */
export interface HeadersReader {
  /** A header's value (repeated values joined with `, `), or `null`. */
  get(name: string): string | null;
  /** Whether the header is present. */
  has(name: string): boolean;
  /** Calls `callback` with each header's value and lower-case name. */
  forEach(callback: (value: string, name: string) => void): void;
}

/** An abort signal: the global `AbortSignal` is one. */
export interface AbortSignalLike {
  /** Whether the request was aborted. */
  readonly aborted: boolean;
}

/** The request a {@link FetchLike} is given: the part of fetch's `RequestInit` the clients set. */
export interface FetchInit {
  /** HTTP method. */
  method: string;
  /** Request headers, names as set. */
  headers: Record<string, string>;
  /** The encoded body (JSON or a form), when the request has one. */
  body?: string;
  /** Aborts the request. */
  signal?: AbortSignalLike;
}

/** The response a {@link FetchLike} resolves to: the part of fetch's `Response` the clients read. */
export interface FetchResponse {
  /** Whether the status is 2xx. */
  readonly ok: boolean;
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: HeadersReader;
  /** The body as text. */
  text(): Promise<string>;
}

/** A `fetch` implementation; the global one unless a client is given another. */
export type FetchLike = (input: string, init: FetchInit) => Promise<FetchResponse>;

/** HTTP methods of actions. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One action as the runtime needs it. */
export interface ActionSpec {
  /** Action id (`stripe.customer.list`). */
  readonly id: string;
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Path template with `{param}` segments. */
  readonly path: string;
  /** Input fields placed in the path. */
  readonly pathParams: readonly string[];
  /** Whether the action changes provider state (and so carries an idempotency key). */
  readonly mutates: boolean;
  /** Response field holding this action's page items, when it differs from the pagination's. */
  readonly itemsField?: string;
}

/** Where an API key goes. */
export type ApiKeyPlacement =
  | { readonly in: "header"; readonly name: string; readonly prefix: string }
  | { readonly in: "query"; readonly name: string }
  | { readonly in: "basic"; readonly usernameOnly: boolean };

/**
 * How list endpoints page. Items are in `itemsField` (an action's own `itemsField` wins); without one, the
 * body itself when it is an array, else its `data`.
 */
export type Pagination =
  | {
      readonly style: "starting_after";
      readonly cursorParam: string;
      readonly itemsField?: string;
      readonly hasMoreField: string;
    }
  | {
      readonly style: "cursor";
      readonly cursorParam: string;
      readonly itemsField?: string;
      readonly nextCursorPointer: string;
    }
  | {
      /** RFC 8288 `Link: <…>; rel="next"` headers, followed on the same origin only. */
      readonly style: "link_header";
      readonly itemsField?: string;
    };

/** The target of the first `rel="next"` link of an RFC 8288 `Link` header. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const m of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const params = (m[2] ?? "").split(";");
    const isNext = params.some((param) => {
      const at = param.indexOf("=");
      if (at < 0 || param.slice(0, at).trim().toLowerCase() !== "rel") return false;
      const rels = param
        .slice(at + 1)
        .trim()
        .replace(/,$/, "")
        .replace(/^"|"$/g, "")
        .split(/\s+/);
      return rels.some((r) => r.toLowerCase() === "next");
    });
    if (isNext) return m[1];
  }
  return undefined;
}

/** What a generated client knows about its provider, from the spec. */
export interface ProviderConfig {
  /** Provider id (`stripe`). */
  readonly provider: string;
  /** Default base URL. */
  readonly baseUrl: string;
  /** Request body encoding. */
  readonly bodyEncoding: "form" | "json";
  /** Where `apiKey` goes, when the provider takes API keys. */
  readonly apiKey?: ApiKeyPlacement;
  /** Where `accessToken` goes, when the provider takes OAuth or bearer tokens. */
  readonly accessToken?: { readonly name: string; readonly prefix: string };
  /** Header carrying the API version. */
  readonly versionHeader?: string;
  /** Query parameter carrying the API version. */
  readonly versionQueryParam?: string;
  /** Version sent when none is chosen. */
  readonly currentVersion?: string;
  /** Versions that may be chosen. */
  readonly supportedVersions: readonly string[];
  /** Header naming the connected account. */
  readonly accountHeader?: string;
  /** Header carrying idempotency keys of mutating requests; none is sent when the spec declares none. */
  readonly idempotencyHeader?: string;
  /** JSON pointer of the error object in error bodies (`/error`). */
  readonly errorPointer?: string;
  /** JSON pointer of a boolean that is `false` when a 2xx body reports a failure (`/ok`). */
  readonly successPointer?: string;
  /** How list endpoints page. */
  readonly pagination?: Pagination;
  /** Headers sent with every request. */
  readonly defaultHeaders: Readonly<Record<string, string>>;
}

/** Options of a client. */
export interface ClientOptions {
  /** API key (BYOK or platform key). */
  apiKey?: string;
  /** OAuth access token; used instead of `apiKey` when both are given. */
  accessToken?: string;
  /** Base URL override (a test server, a regional endpoint). */
  baseUrl?: string;
  /** API version; the spec's current version when absent. */
  apiVersion?: string;
  /** Connected account the requests act for, sent in the provider's account header. */
  accountId?: string;
  /** `fetch` to use; the global one when absent. */
  fetch?: FetchLike;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
}

/** Per-request options. */
export interface RequestOptions {
  /** Idempotency key of a mutating request; a random UUID when absent. */
  idempotencyKey?: string;
  /** API version for this request. */
  apiVersion?: string;
  /** Connected account for this request. */
  accountId?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Aborts the request. */
  signal?: AbortSignalLike;
}

/** The error object most providers return (`{ type, code, message, param }`). */
export interface ProviderErrorObject {
  type?: string;
  code?: string;
  message?: string;
  param?: string;
  [key: string]: unknown;
}

/**
 * A failed call: a non-2xx response, or a 2xx response whose body reports a failure at the spec's success
 * pointer (`status` is then the 2xx status).
 */
export class ApiError<E = ProviderErrorObject> extends Error {
  /** HTTP status. */
  readonly status: number;
  /**
   * The provider's error object (at the spec's error pointer), when the body had one; a bare string there
   * (`"error": "not_found"`) becomes `{ code }`.
   */
  readonly error: E | undefined;
  /** The provider's request id (`Request-Id` / `X-Request-Id`), when sent. */
  readonly requestId: string | undefined;
  /** The action that failed. */
  readonly actionId: string;
  /** The parsed response body. */
  readonly body: unknown;
  /** Response headers. */
  readonly headers: HeadersReader;

  constructor(actionId: string, status: number, body: unknown, error: E | undefined, headers: HeadersReader) {
    const detail = messageOf(error);
    super(`${actionId} failed with HTTP ${status}${detail ? `: ${detail}` : ""}`);
    this.name = "ApiError";
    this.actionId = actionId;
    this.status = status;
    this.body = body;
    this.error = error;
    this.headers = headers;
    this.requestId = headers.get("request-id") ?? headers.get("x-request-id") ?? undefined;
  }
}

function messageOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  for (const key of ["message", "code"]) {
    const m = (error as Record<string, unknown>)[key];
    if (typeof m === "string" && m !== "") return m;
  }
  return undefined;
}

/** The provider's error object: an object as is, a bare string as its `code`; otherwise `undefined`. */
export function providerError(value: unknown): ProviderErrorObject | undefined {
  if (typeof value === "string") return { code: value };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as ProviderErrorObject;
  return undefined;
}

/** Reads a JSON pointer (`/error/message`) out of a value. */
export function readPointer(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  let current: unknown = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Encodes a value as `application/x-www-form-urlencoded` with bracket nesting: `metadata[k]=v`,
 * `items[0][price]=p`. `undefined` and `null` fields are left out.
 */
export function encodeForm(value: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  const walk = (key: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(`${key}[${i}]`, item));
    } else if (v instanceof Date) {
      params.append(key, String(Math.floor(v.getTime() / 1000)));
    } else if (typeof v === "object") {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) walk(`${key}[${k}]`, item);
    } else {
      params.append(key, String(v));
    }
  };
  for (const [k, v] of Object.entries(value)) walk(k, v);
  return params.toString();
}

/** The base of every generated client. */
export class BaseClient {
  /** What the spec says about the provider. */
  protected readonly provider: ProviderConfig;
  private readonly options: ClientOptions;
  private readonly fetchImpl: FetchLike;

  constructor(provider: ProviderConfig, options: ClientOptions = {}) {
    this.provider = provider;
    this.options = { ...options };
    this.fetchImpl =
      options.fetch ?? ((input, init) => fetch(input, init as unknown as RequestInit) as Promise<FetchResponse>);
    if (options.apiVersion !== undefined) this.checkVersion(options.apiVersion);
  }

  private checkVersion(version: string): void {
    const supported = this.provider.supportedVersions;
    if (supported.length > 0 && !supported.includes(version)) {
      throw new TypeError(
        `${this.provider.provider}: API version \`${version}\` is not supported; use one of ${supported.join(", ")}`,
      );
    }
  }

  /** Sends one action and returns its parsed output; throws {@link ApiError} on a non-2xx response. */
  protected async request<O>(action: ActionSpec, input: unknown, options: RequestOptions = {}): Promise<O> {
    return (await this.exchange<O>(action, input, options)).body;
  }

  private baseUrl(): string {
    return (this.options.baseUrl ?? this.provider.baseUrl).replace(/\/+$/, "");
  }

  /**
   * Sends one action and returns its parsed output with the response headers and the URL requested. With
   * `target` (a next-page link), that URL is requested with `GET` and the input is not sent again.
   */
  private async exchange<O>(
    action: ActionSpec,
    input: unknown,
    options: RequestOptions,
    target?: URL,
  ): Promise<{ body: O; headers: HeadersReader; url: URL }> {
    const fields: Record<string, unknown> =
      typeof input === "object" && input !== null ? { ...(input as Record<string, unknown>) } : {};
    let path = action.path;
    for (const p of action.pathParams) {
      const v = fields[p];
      if (v === undefined || v === null || v === "") {
        throw new TypeError(`${action.id}: the path parameter \`${p}\` is required`);
      }
      path = path.replace(`{${p}}`, encodeURIComponent(String(v)));
      delete fields[p];
    }
    const url = target === undefined ? new URL(this.baseUrl() + path) : new URL(target);
    const method = target === undefined ? action.method : "GET";
    const headers = new Headers(this.provider.defaultHeaders);
    for (const [k, v] of Object.entries({ ...this.options.headers, ...options.headers })) headers.set(k, v);
    if (!headers.has("Accept")) headers.set("Accept", "application/json");
    if (!headers.has("User-Agent")) headers.set("User-Agent", USER_AGENT);
    this.authorize(headers, url);

    const version = options.apiVersion ?? this.options.apiVersion ?? this.provider.currentVersion;
    if (version !== undefined) {
      if (options.apiVersion !== undefined) this.checkVersion(options.apiVersion);
      if (this.provider.versionHeader !== undefined) headers.set(this.provider.versionHeader, version);
      else if (this.provider.versionQueryParam !== undefined)
        url.searchParams.set(this.provider.versionQueryParam, version);
    }
    const account = options.accountId ?? this.options.accountId;
    if (account !== undefined && this.provider.accountHeader !== undefined) {
      headers.set(this.provider.accountHeader, account);
    }
    if (action.mutates && this.provider.idempotencyHeader !== undefined) {
      headers.set(this.provider.idempotencyHeader, options.idempotencyKey ?? crypto.randomUUID());
    }

    let body: string | undefined;
    if (target !== undefined) {
      // The link already carries every query parameter.
    } else if (method === "GET" || method === "DELETE") {
      const query = encodeForm(fields);
      if (query !== "") url.search = url.search === "" ? query : `${url.search.slice(1)}&${query}`;
    } else if (this.provider.bodyEncoding === "form") {
      body = encodeForm(fields);
      headers.set("Content-Type", "application/x-www-form-urlencoded");
    } else {
      body = JSON.stringify(fields);
      headers.set("Content-Type", "application/json");
    }

    const sent: Record<string, string> = {};
    headers.forEach((value, name) => {
      sent[name] = value;
    });
    const init: FetchInit = { method, headers: sent };
    if (body !== undefined) init.body = body;
    if (options.signal !== undefined) init.signal = options.signal;
    const response = await this.fetchImpl(url.toString(), init);
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const reportsFailure =
      this.provider.successPointer !== undefined && readPointer(parsed, this.provider.successPointer) === false;
    if (!response.ok || reportsFailure) {
      const error = providerError(readPointer(parsed, this.provider.errorPointer ?? ""));
      throw new ApiError(action.id, response.status, parsed, error, response.headers);
    }
    return { body: parsed as O, headers: response.headers, url };
  }

  /**
   * Yields every item of a paginated action, fetching pages as needed. Items are read from the action's
   * `itemsField`, else the pagination's (a name, or a JSON pointer when it starts with `/`).
   */
  protected async *paginate<I>(action: ActionSpec, input: unknown, options: RequestOptions = {}): AsyncGenerator<I> {
    const paging = this.provider.pagination;
    const itemsField = action.itemsField ?? paging?.itemsField;
    const fields: Record<string, unknown> =
      typeof input === "object" && input !== null ? { ...(input as Record<string, unknown>) } : {};
    let link: URL | undefined;
    for (;;) {
      const exchanged = await this.exchange<Record<string, unknown>>(action, fields, options, link);
      const page = exchanged.body;
      const items =
        itemsField === undefined
          ? Array.isArray(page)
            ? page
            : page["data"]
          : itemsField.startsWith("/")
            ? readPointer(page, itemsField)
            : page[itemsField];
      if (!Array.isArray(items)) return;
      for (const item of items) yield item as I;
      if (paging === undefined) return;
      if (paging.style === "link_header") {
        const next = nextLink(exchanged.headers.get("link"));
        if (next === undefined) return;
        link = new URL(next, exchanged.url);
        if (link.origin !== new URL(this.baseUrl()).origin) {
          throw new Error(
            `${action.id}: the next link points to another origin (${link.origin}); not following it with this client's credentials`,
          );
        }
        continue;
      }
      if (items.length === 0) return;
      if (paging.style === "starting_after") {
        if (page[paging.hasMoreField] !== true) return;
        const last = items[items.length - 1] as { id?: unknown };
        if (typeof last.id !== "string") return;
        fields[paging.cursorParam] = last.id;
      } else {
        const next = readPointer(page, paging.nextCursorPointer);
        if (typeof next !== "string" || next === "") return;
        fields[paging.cursorParam] = next;
      }
    }
  }

  private authorize(headers: Headers, url: URL): void {
    const { accessToken, apiKey } = this.options;
    if (accessToken !== undefined && this.provider.accessToken !== undefined) {
      headers.set(this.provider.accessToken.name, this.provider.accessToken.prefix + accessToken);
      return;
    }
    const placement = this.provider.apiKey;
    if (apiKey === undefined || placement === undefined) return;
    switch (placement.in) {
      case "header":
        headers.set(placement.name, placement.prefix + apiKey);
        break;
      case "query":
        url.searchParams.set(placement.name, apiKey);
        break;
      case "basic":
        headers.set("Authorization", `Basic ${btoa(placement.usernameOnly ? `${apiKey}:` : apiKey)}`);
        break;
    }
  }
}

/** A webhook whose signature does not verify. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** Request headers: a `Headers` object or a plain record (as Node's `IncomingHttpHeaders`). */
export type HeadersLike = HeadersReader | Readonly<Record<string, string | readonly string[] | undefined>>;

function isReader(headers: HeadersLike): headers is HeadersReader {
  return typeof (headers as { get?: unknown }).get === "function";
}

/** A header's value, case-insensitively; the first value of a repeated header. */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (isReader(headers)) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    return typeof v === "string" ? v : v[0];
  }
  return undefined;
}

/** Options of webhook verification. */
export interface VerifyOptions {
  /** Accepted clock skew in seconds; `0` turns the timestamp check off. */
  tolerance?: number;
  /** The current time in Unix seconds (for tests); the clock when absent. */
  now?: number;
  /** The full request URL, for layouts that sign it (`{url}`). */
  url?: string;
}

/** HMAC hash functions. */
export type HmacHash = "SHA-256" | "SHA-1" | "SHA-512";

/** One piece of the signed content: literal text, or a part of the delivery. */
export type ContentPart = { readonly text: string } | "body" | "timestamp" | "id" | "url";

/** How the signature header lists signatures. */
export type HeaderFormat =
  | { readonly style: "prefixed"; readonly prefix: string }
  | {
      readonly style: "items";
      readonly separator: string;
      readonly signatureKey: string;
      readonly timestampKey?: string;
    }
  | { readonly style: "versioned"; readonly version: string };

/**
 * How a provider signs deliveries: the spec's signature layout (a named scheme's preset or a declared layout),
 * as the generated `webhooks.ts` of each integration declares it.
 */
export interface SignatureLayout {
  /** MAC or signature algorithm. */
  readonly algorithm: "hmac-sha256" | "hmac-sha1" | "hmac-sha512" | "ed25519";
  /** Header carrying the signature (lower case). */
  readonly signatureHeader: string;
  /** What is signed, in order. */
  readonly content: readonly ContentPart[];
  /** How signature bytes are written. */
  readonly encoding: "hex" | "base64";
  /** How the signature header lists signatures. */
  readonly format: HeaderFormat;
  /** Header carrying the timestamp apart from the signature (lower case). */
  readonly timestampHeader?: string;
  /** Header carrying the signed message id (lower case). */
  readonly idHeader?: string;
  /** Accepted clock skew in seconds; `0`: no timestamp is signed. */
  readonly tolerance: number;
  /** How secrets are read: raw text, or base64 after an optional prefix (`whsec_`; Ed25519 `whpk_`). */
  readonly secret: { readonly encoding: "raw" | "base64"; readonly prefix?: string };
}

const encoder = new TextEncoder();

function bytes(value: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof value === "string" ? encoder.encode(value) : new Uint8Array(value);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** HMAC of `message` under `key` with Web Crypto. */
export async function hmac(hash: HmacHash, key: string | Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", bytes(key), { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, bytes(message)));
}

/** Lowercase hex of bytes. */
export function toHex(data: Uint8Array): string {
  return Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
}

function toBase64(data: Uint8Array): string {
  return btoa(Array.from(data, (b) => String.fromCharCode(b)).join(""));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function secretList(secrets: string | readonly string[]): readonly string[] {
  const list = typeof secrets === "string" ? [secrets] : secrets;
  if (list.length === 0) throw new WebhookVerificationError("no webhook secret configured");
  return list;
}

function checkTimestamp(timestamp: number, options: VerifyOptions, fallback: number): void {
  const tolerance = options.tolerance ?? fallback;
  if (tolerance <= 0) return;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(`timestamp ${timestamp} is outside the tolerance of ${tolerance} s`);
  }
}

/** The value of a header the layout needs; throws when it is absent or blank. */
export function requiredHeader(headers: HeadersLike, name: string): string {
  const v = headerValue(headers, name)?.trim();
  if (v === undefined || v === "") throw new WebhookVerificationError(`the ${name} header is missing`);
  return v;
}

const TIMESTAMP = /^(0|[1-9][0-9]{0,17})$/;

/** The label a layout's signatures are looked for under (`v1`, `sha256`). */
function label(format: HeaderFormat): string {
  switch (format.style) {
    case "prefixed":
      return format.prefix.endsWith("=") ? format.prefix.slice(0, -1) : format.prefix;
    case "items":
      return format.signatureKey;
    case "versioned":
      return format.version;
  }
}

/** The signature header read in the layout's format: the candidates (as written), and a timestamp item. */
function readSignatureHeader(
  layout: SignatureLayout,
  header: string,
): { candidates: string[]; timestamp?: string } {
  const f = layout.format;
  const malformed = (why: string) =>
    new WebhookVerificationError(`the ${layout.signatureHeader} header is malformed: ${why}`);
  const hex = layout.encoding === "hex";
  switch (f.style) {
    case "prefixed": {
      if (f.prefix.endsWith("=")) {
        const at = header.indexOf("=");
        if (at < 0) throw malformed("expected `<label>=<signature>`");
        if (header.slice(0, at).trim() !== label(f)) return { candidates: [] };
        const sig = header.slice(at + 1).trim();
        return { candidates: [hex ? sig.toLowerCase() : sig] };
      }
      if (!header.startsWith(f.prefix)) return { candidates: [] };
      const sig = header.slice(f.prefix.length).trim();
      return { candidates: [hex ? sig.toLowerCase() : sig] };
    }
    case "items": {
      let timestamp: string | undefined;
      const candidates: string[] = [];
      for (const item of header.split(f.separator)) {
        const at = item.indexOf("=");
        if (at < 0) continue;
        const key = item.slice(0, at);
        const value = item.slice(at + 1);
        if (key === f.timestampKey) {
          if (timestamp !== undefined) throw malformed("more than one timestamp item");
          timestamp = value;
        } else if (key === f.signatureKey) {
          candidates.push(value);
        }
      }
      if (f.timestampKey !== undefined) {
        if (timestamp === undefined) throw malformed("no timestamp item");
        if (!TIMESTAMP.test(timestamp)) throw malformed("the timestamp item is not a Unix time in seconds");
      }
      return { candidates, timestamp };
    }
    case "versioned": {
      const candidates: string[] = [];
      for (const entry of header.split(/\s+/)) {
        const at = entry.indexOf(",");
        if (at >= 0 && entry.slice(0, at) === f.version) {
          const sig = entry.slice(at + 1);
          candidates.push(hex ? sig.toLowerCase() : sig);
        }
      }
      return { candidates };
    }
  }
}

const HASHES: Record<Exclude<SignatureLayout["algorithm"], "ed25519">, HmacHash> = {
  "hmac-sha256": "SHA-256",
  "hmac-sha1": "SHA-1",
  "hmac-sha512": "SHA-512",
};

/** The key bytes of a secret as the layout reads it. */
function keyBytes(layout: SignatureLayout, secret: string): Uint8Array<ArrayBuffer> {
  if (layout.secret.encoding === "raw") return bytes(secret);
  const prefix = layout.secret.prefix;
  const text = prefix !== undefined && secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  try {
    return fromBase64(text);
  } catch {
    throw new WebhookVerificationError("the webhook secret is not base64");
  }
}

/**
 * Verifies a delivery against a signature layout: reads the signature (and the timestamp and id) headers,
 * tries every candidate signature against every secret (HMAC results compared in constant time; Ed25519
 * public keys verify with Web Crypto), then checks the timestamp against the tolerance. Returns the signed
 * timestamp, if any. Throws {@link WebhookVerificationError}.
 */
export async function verifyLayout(
  layout: SignatureLayout,
  payload: string | Uint8Array,
  headers: HeadersLike,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<number | undefined> {
  const header = requiredHeader(headers, layout.signatureHeader);
  let timestamp = layout.timestampHeader === undefined ? undefined : requiredHeader(headers, layout.timestampHeader);
  if (timestamp !== undefined && !/^[0-9]{1,18}$/.test(timestamp)) {
    throw new WebhookVerificationError("the timestamp header is not a number");
  }
  const id = layout.idHeader === undefined ? "" : requiredHeader(headers, layout.idHeader);
  const read = readSignatureHeader(layout, header);
  timestamp = read.timestamp ?? timestamp;
  if (read.candidates.length === 0) {
    throw new WebhookVerificationError(`the signature header has no ${label(layout.format)} signature`);
  }
  const pieces = layout.content.map((part) => {
    if (typeof part !== "string") return encoder.encode(part.text);
    switch (part) {
      case "body":
        return bytes(payload);
      case "timestamp":
        return encoder.encode(timestamp ?? "");
      case "id":
        return encoder.encode(id);
      case "url":
        if (options.url === undefined) throw new WebhookVerificationError("the signature covers the request URL; pass `url`");
        return encoder.encode(options.url);
    }
  });
  const signed = concat(...pieces);
  let found = false;
  for (const secret of secretList(secrets)) {
    const key = keyBytes(layout, secret);
    if (layout.algorithm === "ed25519") {
      let publicKey: CryptoKey;
      try {
        publicKey = await crypto.subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"]);
      } catch {
        throw new WebhookVerificationError("the public key is not an Ed25519 key (`whpk_` + base64 of 32 bytes)");
      }
      // At most 16 entries per key, as the Rust verifier: each costs a signature check.
      for (const c of read.candidates.slice(0, 16)) {
        let sig: Uint8Array<ArrayBuffer>;
        try {
          sig = fromBase64(c);
        } catch {
          continue;
        }
        try {
          if (await crypto.subtle.verify({ name: "Ed25519" }, publicKey, sig, signed)) found = true;
        } catch {
          // Not an Ed25519 signature (wrong length): no match.
        }
      }
    } else {
      const mac = await hmac(HASHES[layout.algorithm], key, signed);
      const expected = layout.encoding === "hex" ? toHex(mac) : toBase64(mac);
      for (const c of read.candidates) if (timingSafeEqual(expected, c)) found = true;
    }
  }
  if (!found) throw new WebhookVerificationError("no signature matches the payload");
  if (timestamp === undefined) return undefined;
  checkTimestamp(Number(timestamp), options, layout.tolerance);
  return Number(timestamp);
}

/** The payload as text. */
export function payloadText(payload: string | Uint8Array): string {
  return typeof payload === "string" ? payload : new TextDecoder().decode(payload);
}

/** Where one value of a delivery is found: a JSON pointer into the body (`""` is the whole body), or a header. */
export type FieldSource = { readonly body: string } | { readonly header: string };

/** Where a provider's deliveries carry each event field (the spec's `events.envelope`). */
export interface EventEnvelope {
  /** The event id (required). */
  readonly id: FieldSource;
  /** The upstream type as parts joined with `.`: the first is required, later ones are appended when present. */
  readonly type: readonly FieldSource[];
  /** Creation time in Unix seconds. */
  readonly created?: FieldSource;
  /** The connected account (tenant) the event belongs to. */
  readonly account?: FieldSource;
  /** Whether the event happened in live mode. */
  readonly livemode?: FieldSource;
  /** The changed object; the whole body when absent. */
  readonly object?: FieldSource;
  /** The changed object's previous values, for update events. */
  readonly previousAttributes?: FieldSource;
  /** JSON pointer of the object's id, inside the object. */
  readonly objectId?: string;
  /** JSON pointer of the object's type name, inside the object. */
  readonly objectType?: string;
  /** The URL-verification handshake the provider sends, if it declares one. */
  readonly handshake?: Handshake;
}

/**
 * A declared URL-verification handshake: where the delivery says what it is, the value there that marks a
 * handshake, and where the challenge sits.
 */
export interface Handshake {
  /** Where the delivery's kind is read. */
  readonly type: FieldSource;
  /** The value there that marks a handshake (`url_verification`). */
  readonly value: string;
  /** Where the challenge to echo sits. */
  readonly challenge: FieldSource;
}

/** What every received event carries, read from the delivery through the envelope. */
export interface ReceivedEventFields {
  /** The provider's event id; deliveries of one event share it. */
  readonly id: string;
  /** The provider's own (upstream) type (`issues.opened`). */
  readonly type: string;
  /** The type with the integration's event prefix (`github.issues.opened`). */
  readonly prefixedType: string;
  /** When the event happened, in Unix seconds. */
  readonly created?: number;
  /** The connected account the event belongs to. */
  readonly account?: string;
  /** Whether the event happened in live mode. */
  readonly livemode?: boolean;
  /** The changed object. */
  readonly object: unknown;
  /** Previous values of the changed fields, for update events. */
  readonly previousAttributes?: unknown;
  /** Id of the changed object. */
  readonly objectId?: string;
  /** Type name of the changed object. */
  readonly objectType?: string;
  /** The parsed body, as delivered. */
  readonly body: unknown;
}

/** A delivery of a declared event type `K`, its object typed `P`. */
export interface DeclaredEvent<K extends string, P> extends ReceivedEventFields {
  /** A declared event type. */
  readonly kind: "event";
  /** The upstream type. */
  readonly type: K;
  /** The changed object, typed by the event type. */
  readonly object: P;
}

/** A delivery of a type the spec does not declare; kept whole, nothing dropped. */
export interface UnknownEvent extends ReceivedEventFields {
  /** An undeclared event type. */
  readonly kind: "unknown";
}

/**
 * A signed URL-verification handshake, as the envelope declares it (Slack's `{"type": "url_verification",
 * "challenge": …}`, sent when an endpoint is registered): answer with `challenge`.
 */
export interface UrlVerification {
  /** A handshake, not an event. */
  readonly kind: "url_verification";
  /** The value to echo back. */
  readonly challenge: string;
  /** The parsed body, as delivered. */
  readonly body: unknown;
}

/** A delivery's body that cannot become an event (not JSON, or no usable id or type). */
export class WebhookEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookEventError";
  }
}

function findSource(source: FieldSource, body: unknown, headers: HeadersLike): unknown {
  if ("header" in source) return headerValue(headers, source.header)?.trim();
  const v = readPointer(body, source.body);
  return v === null ? undefined : v;
}

function asText(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function asId(v: unknown): string | undefined {
  return typeof v === "number" && Number.isInteger(v) ? String(v) : asText(v);
}

function asInteger(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function asBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  return v === "true" ? true : v === "false" ? false : undefined;
}

/** The parsed body of a delivery; throws {@link WebhookEventError} when it is not JSON. */
export function parseBody(payload: string | Uint8Array): unknown {
  try {
    return JSON.parse(payloadText(payload));
  } catch (e) {
    throw new WebhookEventError(`the event body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Builds the event of a (verified) delivery from the spec's envelope: a declared event when its upstream
 * type is in `declared`, an unknown one otherwise, or the envelope's declared URL-verification handshake. Throws
 * {@link WebhookEventError} when the id or type is missing.
 */
export function readEvent(
  body: unknown,
  headers: HeadersLike,
  envelope: EventEnvelope,
  prefix: string,
  declared: readonly string[],
): ({ readonly kind: "event" | "unknown" } & ReceivedEventFields) | UrlVerification {
  const handshake = envelope.handshake;
  if (handshake !== undefined && asText(findSource(handshake.type, body, headers)) === handshake.value) {
    const challenge = asText(findSource(handshake.challenge, body, headers));
    if (challenge !== undefined) return { kind: "url_verification", challenge, body };
  }
  const id = asText(findSource(envelope.id, body, headers));
  if (id === undefined || id === "") throw new WebhookEventError("the event has no usable `id`");
  const parts: string[] = [];
  for (const [i, source] of envelope.type.entries()) {
    const part = asText(findSource(source, body, headers));
    if (part !== undefined && part !== "") parts.push(part);
    else if (i === 0) throw new WebhookEventError("the event has no usable `type`");
  }
  const type = parts.join(".");
  const optional = (s: FieldSource | undefined) => (s === undefined ? undefined : findSource(s, body, headers));
  let object: unknown = body;
  if (envelope.object !== undefined) {
    object = "body" in envelope.object ? readPointer(body, envelope.object.body) : undefined;
  }
  const inObject = (pointer: string | undefined) =>
    pointer === undefined ? undefined : asText(readPointer(object, pointer));
  const previous =
    envelope.previousAttributes !== undefined && "body" in envelope.previousAttributes
      ? optional(envelope.previousAttributes)
      : undefined;
  const event: Record<string, unknown> = {
    kind: declared.includes(type) ? "event" : "unknown",
    id,
    type,
    prefixedType: prefix + type,
    object,
    body,
  };
  const fields: Record<string, unknown> = {
    created: asInteger(optional(envelope.created)),
    account: asId(optional(envelope.account)),
    livemode: asBool(optional(envelope.livemode)),
    previousAttributes: previous,
    objectId: inObject(envelope.objectId),
    objectType: inObject(envelope.objectType),
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) event[k] = v;
  return event as unknown as { readonly kind: "event" | "unknown" } & ReceivedEventFields;
}
