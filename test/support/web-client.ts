import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SYSTEM_ACTOR } from '../../src/auth/actor';
import { AccountsService } from '../../src/auth/accounts.service';
import { AuthService } from '../../src/auth/auth.service';
import { Role } from '../../src/auth/roles.decorator';

export interface WebResponse {
  status: number;
  body: string;
  headers: Record<string, unknown>;
  location?: string;
}

/** A password that passes the rules, different per user. */
export const passwordFor = (email: string) => `pale sandwich orbit ${email.length}`;

/**
 * A browser without a browser: keeps the session cookie, reads each page's CSRF token, and
 * posts forms, through Fastify's inject (the full HTTP stack, no port).
 */
export class WebClient {
  cookie?: string;
  lastToken?: string;
  /** Every response body seen (to check that no page holds a secret). */
  readonly seen: string[] = [];

  constructor(
    private readonly app: NestFastifyApplication,
    readonly ip = '127.0.0.1',
  ) {}

  async request(
    method: string,
    url: string,
    form?: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ) {
    const payload =
      form === undefined
        ? undefined
        : new URLSearchParams(
            Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
          ).toString();
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      remoteAddress: this.ip,
      payload,
      headers: {
        ...(payload !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
    });
    const set = res.headers['set-cookie'];
    for (const c of ([] as string[]).concat((set as string | string[] | undefined) ?? [])) {
      const [pair] = c.split(';');
      const [name, value] = pair.split('=');
      if (name === 'gdt_session')
        this.cookie = value && !/Expires=Thu, 01 Jan 1970/.test(c) ? `${name}=${value}` : undefined;
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.lastToken = token;
    this.seen.push(res.body);
    return {
      status: res.statusCode,
      body: res.body,
      headers: res.headers as Record<string, unknown>,
      location: res.headers.location as string | undefined,
    } satisfies WebResponse;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  /** Posts a form with the CSRF token of the last page seen (unless `_csrf` is given). */
  post(url: string, form: Record<string, string | string[]> = {}) {
    return this.request('POST', url, { _csrf: this.lastToken ?? '', ...form });
  }

  get sessionId(): string | undefined {
    return this.cookie?.split('=')[1];
  }

  async signIn(email: string, password = passwordFor(email)): Promise<WebResponse> {
    await this.get('/manage/sign-in');
    return this.post('/manage/sign-in', { email, password });
  }
}

/** Makes a user with a password (and projects for scoped roles) straight through the services. */
export async function makeUser(
  app: NestFastifyApplication,
  role: Role,
  email: string,
  projects: string[] = [],
): Promise<{ email: string; password: string; id: number }> {
  const u = await app.get(AuthService).createUser(
    {
      name: `Web ${role.replace('_', ' ')} ${email.split('@')[0]}`,
      email,
      role,
      projects,
      programme: projects.length ? 'SSLEP-GD-2014' : undefined,
    },
    SYSTEM_ACTOR,
  );
  const password = passwordFor(email);
  await app.get(AccountsService).setPassword(email, password, SYSTEM_ACTOR);
  return { email, password, id: u.id };
}

/** The text of an HTML page without tags, spaces squeezed (for asserting what a person reads). */
export const pageText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
