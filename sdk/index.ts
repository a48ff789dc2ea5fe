// The typed client for partner apps and frontends: `createClient({ url, token })` returns one
// function per operation in sdk/operations (generated into ./generated.ts by `npm run codegen`).
import { ClientError, GraphQLClient } from 'graphql-request';
import { getSdk, type Sdk } from './generated.js';

export * from './generated.js';
export { ClientError };

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql */
  url: string;
  /** A bearer token from `login`; can be set later with `setToken`. */
  token?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export type CrmClient = Sdk & {
  /** Use this token for every following request (or none, with undefined). */
  setToken(token: string | undefined): void;
  /** Signs in with email and password and keeps the token; throws on wrong credentials. */
  signIn(email: string, password: string): Promise<string>;
  /** The underlying graphql-request client, for ad-hoc documents. */
  graphql: GraphQLClient;
};

export function createClient(options: ClientOptions): CrmClient {
  const graphql = new GraphQLClient(options.url, {
    headers: { ...options.headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const setToken = (token: string | undefined) => {
    if (token) graphql.setHeader('authorization', `Bearer ${token}`);
    else graphql.setHeader('authorization', '');
  };
  setToken(options.token);
  const sdk = getSdk(graphql);
  return {
    ...sdk,
    graphql,
    setToken,
    async signIn(email, password) {
      const { login } = await sdk.Login({ input: { email, password } });
      if (!login.token) throw new Error(login.userErrors[0]?.message ?? 'Sign-in failed');
      setToken(login.token);
      return login.token;
    },
  };
}

/** The `extensions.code` of a top-level GraphQL error thrown by an SDK call, if any. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof ClientError) {
    const code = error.response.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
