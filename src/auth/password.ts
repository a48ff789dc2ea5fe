import { Algorithm, hash, verify } from '@node-rs/argon2';

export interface PasswordHashOptions {
  memoryKiB: number;
  iterations: number;
}

export const MIN_PASSWORD_LENGTH = 8;

/** Argon2id, a memory-hard hash (OWASP parameters by default). */
export class PasswordHasher {
  // Verifying against this for unknown emails keeps login time the same for both failures.
  private readonly dummy: Promise<string>;

  constructor(private readonly options: PasswordHashOptions) {
    this.dummy = this.hash('not-a-real-password');
  }

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: Algorithm.Argon2id,
      memoryCost: this.options.memoryKiB,
      timeCost: this.options.iterations,
      parallelism: 1,
    });
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? (await this.dummy), password);
    } catch {
      return false;
    }
  }
}
