import type { z } from 'zod';
import type { AppServices } from '~/context';
import type { PublicUser } from '~/services/accounts.server';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * none: anyone; token: a member's personal API token; participant: a member's token or a session guest's token
 * (from joinSessionAsGuest), for the commands guests may use in their one session.
 */
export type Auth = 'none' | 'token' | 'participant';
/** Refusals an operation may answer with, besides those implied by its shape (see openapi.server.ts). */
export type ErrorStatus = 401 | 403 | 404 | 409 | 410 | 429;

/** The names in a path pattern: '/products/{productId}/members/{userId}' gives 'productId' | 'userId'. */
export type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

type Data<S> = S extends z.ZodType ? z.output<S> : undefined;
// biome-ignore lint/suspicious/noConfusingVoidType: a 204 handler is an async function that returns nothing.
type Result<S> = S extends z.ZodType ? z.output<S> : void;

export interface ParamSpec {
  description: string;
  format?: 'uuid';
}

/**
 * A download rather than JSON (a CSV export, a .feature file): the router sends the text with its media type
 * and a Content-Disposition naming the file. Only operations that list the media type in `success.files` return one.
 */
export class FileResult {
  constructor(
    readonly text: string,
    readonly mediaType: string,
    readonly fileName: string,
  ) {}
}

export interface FileSpec {
  mediaType: string;
  description: string;
}

export interface HandlerContext<P extends string, A extends Auth, B, Q> {
  request: Request;
  services: AppServices;
  /** decoded path parameters; unchecked strings, the services refuse unknown or malformed ids with 404 */
  params: Record<ParamNames<P>, string>;
  /** the query parameters, validated by the operation's `query` schema (undefined when it has none) */
  query: Q;
  body: B;
  user: A extends 'token' ? PublicUser : A extends 'participant' ? PublicUser | null : null;
  /** who acts: the user's id, or `guest:<participant id>` for a guest (participant operations only) */
  actorId: A extends 'none' ? null : string;
}

export interface OperationSpec<
  P extends string,
  A extends Auth,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
  Q extends z.ZodObject | undefined = undefined,
> {
  operationId: string;
  method: Method;
  /** relative to /api/v1, parameters in braces as in OpenAPI */
  path: P;
  summary: string;
  description?: string;
  tag: string;
  auth: A;
  /** every path parameter, documented */
  params: Record<ParamNames<P>, ParamSpec>;
  /**
   * The query parameters, one field each. Values arrive as strings (a repeated key gives its last value), so
   * numeric fields use z.coerce; a field's description becomes the parameter's description in the document.
   */
  query?: Q;
  /** the JSON request body; its output is what the handler receives */
  body?: B;
  success: {
    status: 200 | 201 | 202 | 204;
    description: string;
    schema: R;
    /** media types the handler may answer with instead, by returning a FileResult */
    files?: FileSpec[];
  };
  errors: ErrorStatus[];
  /** returns the success schema's output (Dates and all); the router encodes it to the wire form */
  handler(context: HandlerContext<P, A, Data<B>, Data<Q>>): Promise<Result<R> | FileResult>;
}

/** An operation with its types erased, as the router and the OpenAPI builder see it. */
export type Operation = Omit<
  OperationSpec<string, Auth, z.ZodType | undefined, z.ZodType | undefined, z.ZodObject | undefined>,
  'params' | 'handler'
> & {
  params: Record<string, ParamSpec>;
  handler(context: {
    request: Request;
    services: AppServices;
    params: Record<string, string>;
    query: unknown;
    body: unknown;
    user: PublicUser | null;
    actorId: string | null;
  }): Promise<unknown>;
};

export function defineOperation<
  P extends string,
  A extends Auth,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
>(spec: OperationSpec<P, A, B, R, Q>): Operation {
  return spec as unknown as Operation;
}
