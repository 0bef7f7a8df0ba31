import { createBackends } from './backends.js';
import type { Config } from './config.js';
import { Accounts } from './domain/accounts/accounts.js';
import { checkDisplayName, checkEmail, checkLogin, checkPassword } from './protocol/accountInput.js';

/** What `--create-admin NAME [--login LOGIN] [--email EMAIL]` asked for, taken off the arguments. */
export interface CreateAdminRequest {
  name: string;
  login?: string;
  email?: string;
}

/**
 * Takes `--create-admin NAME` and its companions `--login` and `--email` out of the command line;
 * the rest is the server's configuration as usual. Undefined when there is no --create-admin.
 */
export function takeCreateAdmin(argv: string[]): { request?: CreateAdminRequest; rest: string[] } {
  const rest: string[] = [];
  const found: Record<string, string> = {};
  const own = new Set(['--create-admin', '--login', '--email']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!own.has(flag)) {
      rest.push(arg);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    found[flag] = value;
  }
  const name = found['--create-admin'];
  if (name === undefined) {
    if (Object.keys(found).length > 0) throw new Error('--login and --email go with --create-admin');
    return { rest };
  }
  return {
    request: {
      name,
      ...(found['--login'] === undefined ? {} : { login: found['--login'] }),
      ...(found['--email'] === undefined ? {} : { email: found['--email'] }),
    },
    rest,
  };
}

/** The password: the first line of stdin (a pipe or a file), or typed at a terminal without echo. */
export async function readPassword(input: NodeJS.ReadStream = process.stdin, prompt: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) {
    let all = '';
    for await (const chunk of input) all += String(chunk);
    return all.split(/\r?\n/)[0] ?? '';
  }
  prompt.write('password: ');
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.off('data', onData);
          input.pause();
          prompt.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          input.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/**
 * Creates an account from the command line, with no browser and no server listening: the owner
 * when it is the first account, else an admin. Its login is LOGIN, or NAME when that is a valid
 * login. Returns the message to print; throws with the reason when it cannot.
 */
export async function createAdmin(config: Config, request: CreateAdminRequest, password: string): Promise<string> {
  const name = checkDisplayName(request.name);
  if (!name.ok) throw new Error(`NAME: ${name.message}`);
  const login = checkLogin(request.login ?? request.name);
  if (!login.ok)
    throw new Error(request.login === undefined ? `NAME is not a valid login: give one with --login (${login.message})` : `--login: ${login.message}`);
  const email = checkEmail(request.email ?? null);
  if (!email.ok) throw new Error(`--email: ${email.message}`);
  const pw = checkPassword(password);
  if (!pw.ok) throw new Error(`password: ${pw.message}`);
  const backends = await createBackends(config);
  try {
    const accounts = new Accounts(backends.accountStores, { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs });
    const made = await accounts.createFromCommandLine({ name: name.value, login: login.value, email: email.value, password: pw.value });
    if (!made.ok) throw new Error(`cannot create the account: ${made.reason.replace('_', ' ')}`);
    return `created ${made.account.role} ${made.account.name} (login ${made.account.login})`;
  } finally {
    await backends.stores.close();
    await backends.images.close();
    await backends.close();
  }
}
