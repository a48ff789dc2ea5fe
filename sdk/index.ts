// The typed client for partner apps and frontends: `createClient({ url, token })` returns one
// function per operation in sdk/operations (generated into ./generated.ts by `npm run codegen`).
// Calls throw CrmError (./errors.ts) with a typed `code`; every response's `extensions` are kept.
import { ClientError, GraphQLClient, type ResponseMiddleware } from 'graphql-request';
import { CrmError, toCrmError } from './errors.js';
import { getSdk, type Sdk, type SdkFunctionWrapper } from './generated.js';

export * from './generated.js';
export * from './errors.js';
export { ClientError, GraphQLClient };

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql */
  url: string;
  /**
   * Sent as `Authorization: Bearer <token>`: a session token from `login` (or `signIn`); API keys
   * are sent the same way. Can be changed later with `setToken`.
   */
  token?: string;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * The language of the error messages people read (`userErrors[].message`, top-level errors),
   * sent as `Accept-Language`: e.g. 'zh-CN' or 'en' (the default), or a whole header such as
   * 'zh-CN, en;q=0.5'. Codes, fields and extensions are the same in every language.
   */
  language?: string;
  fetch?: typeof fetch;
}

/**
 * The rate limit's accounting in `extensions.cost`: the estimate taken before the query ran, the
 * objects it really returned (null when it did not run), and the bucket (null when not limited).
 */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } | null;
}

/** A response's top-level `extensions`, as the server sent them. */
export type ResponseExtensions = Record<string, unknown> & { cost?: QueryCost };

/** An answer with the `extensions` of its own response. */
export interface WithExtensions<T> {
  data: T;
  extensions: ResponseExtensions | undefined;
}

/** The same functions as the client's, each answering `{ data, extensions }`. */
export type SdkWithExtensions = {
  [K in keyof Sdk]: (...args: Parameters<Sdk[K]>) => Promise<WithExtensions<Awaited<ReturnType<Sdk[K]>>>>;
};

export type CrmClient = Sdk & {
  /** Use this token for every following request (or none, with undefined). */
  setToken(token: string | undefined): void;
  /** Signs in with email and password and keeps the token; throws CrmError (e.g. INVALID_CREDENTIALS). */
  signIn(email: string, password: string): Promise<string>;
  /**
   * The `extensions` of the latest response this client received, successful or not. With calls
   * running concurrently, use `withExtensions` to get those of one call.
   */
  readonly lastExtensions: ResponseExtensions | undefined;
  /** Every operation again, answering `{ data, extensions }` of that call's own response. */
  withExtensions: SdkWithExtensions;
  /** The underlying graphql-request client, for ad-hoc documents (its errors are ClientError). */
  graphql: GraphQLClient;
};

type Response = Parameters<ResponseMiddleware>[0];

function extensionsOf(response: Response): ResponseExtensions | undefined {
  const extensions = response instanceof ClientError ? response.response.extensions : response instanceof Error ? undefined : response.extensions;
  return typeof extensions === 'object' && extensions !== null ? (extensions as ResponseExtensions) : undefined;
}

/** Turns whatever a call throws into a CrmError with a typed code. */
const throwCrmErrors: SdkFunctionWrapper = async (action, operationName, _operationType, variables) => {
  try {
    return await action();
  } catch (error) {
    throw toCrmError(error, { query: operationName, variables: variables as Record<string, unknown> | undefined });
  }
};

export function createClient(options: ClientOptions): CrmClient {
  // One headers object shared by every request of this client, so setToken applies to all.
  const headers: Record<string, string> = { ...options.headers };
  if (options.language) headers['accept-language'] = options.language;
  let lastExtensions: ResponseExtensions | undefined;
  const graphqlClient = (onResponse?: (extensions: ResponseExtensions | undefined) => void) =>
    new GraphQLClient(options.url, {
      headers,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      responseMiddleware: (response: Response) => {
        lastExtensions = extensionsOf(response);
        onResponse?.(lastExtensions);
      },
    });

  const setToken = (token: string | undefined) => {
    if (token) headers.authorization = `Bearer ${token}`;
    else delete headers.authorization;
  };
  setToken(options.token);
  const graphql = graphqlClient();
  const sdk = getSdk(graphql, throwCrmErrors);

  // A client of its own per call, so concurrent calls can't mix up their extensions.
  const callWithExtensions = async (name: keyof Sdk, args: unknown[]): Promise<WithExtensions<unknown>> => {
    let extensions: ResponseExtensions | undefined;
    const own = getSdk(
      graphqlClient((e) => (extensions = e)),
      throwCrmErrors,
    );
    const data = await (own[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    return { data, extensions };
  };
  const withExtensions = Object.fromEntries(
    (Object.keys(sdk) as (keyof Sdk)[]).map((name) => [name, (...args: unknown[]) => callWithExtensions(name, args)]),
  ) as SdkWithExtensions;

  return {
    ...sdk,
    graphql,
    setToken,
    withExtensions,
    get lastExtensions() {
      return lastExtensions;
    },
    async signIn(email, password) {
      const { login } = await sdk.Login({ input: { email, password } });
      if (!login.token) {
        const refusal = login.userErrors[0];
        throw new CrmError(
          { status: 200, headers: new Headers(), body: '', data: { login } },
          { query: 'Login', variables: { input: { email } } },
          { code: refusal?.code ?? 'UNKNOWN', message: refusal?.message ?? 'Sign-in failed' },
        );
      }
      setToken(login.token);
      return login.token;
    },
  };
}

/**
 * The `extensions.code` of the top-level error an SDK call threw, exactly as the server sent it
 * (`error.code` of a CrmError is the same in the SDK's typed terms).
 */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof CrmError) return error.serverCode ?? (error.status === 0 ? error.code : undefined);
  if (error instanceof ClientError) {
    const code = error.response.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
