/**
 * The hub's identity at central, in a small JSON file (mode 0600) beside the data. Before the
 * enrolment call the hub writes the secret it chose, so an enrolment whose answer was lost is
 * repeated with the same secret and still succeeds (central accepts a spent code for the secret
 * that spent it). Delete the file to enrol again with a new code.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TouchlineError } from '@touchline/core/metrics';

export interface HubCredential {
  hubId: string;
  clubId: string;
  /** `<hubId>.<secret>`, sent as the Bearer token. */
  credential: string;
  enrolledAt: number;
}

interface CredentialFile {
  enrolled?: HubCredential;
  /** An enrolment under way: the code it spends and the secret the hub chose for it. */
  pending?: { code: string; secret: string };
}

export class CredentialStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  private read(): CredentialFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      return JSON.parse(text) as CredentialFile;
    } catch {
      throw new TouchlineError('TL_ERR_CONFIG_INVALID', `The uplink credential file ${this.path} is not valid JSON; delete it and enrol the hub again`);
    }
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a credential. */
  private write(content: CredentialFile): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  enrolled(): HubCredential | undefined {
    return this.read().enrolled;
  }

  /** The secret to enrol with this code: the one already chosen for it, or a new one. */
  secretFor(code: string): string {
    const pending = this.read().pending;
    if (pending?.code === code) return pending.secret;
    const secret = randomBytes(32).toString('base64url');
    this.write({ pending: { code, secret } });
    return secret;
  }

  save(credential: HubCredential): void {
    this.write({ enrolled: credential });
  }
}
