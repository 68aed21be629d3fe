import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * Validates environment variables against a zod object schema whose keys are variable names.
 * Every problem is reported at once, each naming the variable, the value it had and what it wants.
 * Unknown `CATALENS_*` variables are rejected too: a typo should stop the process, not be ignored.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  options: { prefix?: string } = {},
): z.infer<S> {
  const prefix = options.prefix ?? 'CATALENS_';
  const known = new Set(Object.keys(schema.shape));
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (name.startsWith(prefix) && !known.has(name)) {
      problems.push(
        `${name}: unknown variable; known ones are ${[...known].filter((k) => k.startsWith(prefix)).join(', ') || 'none'}`,
      );
    }
  }
  const input: Record<string, unknown> = {};
  for (const name of known) {
    const value = env[name];
    input[name] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '(root)');
      const value = input[name];
      const why = value === undefined ? 'is required but not set' : `got ${shown(value)}: ${issue.message}`;
      problems.push(`${name} ${why}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as z.infer<S>;
}

/** Common field types for environment variables (all strings on input). */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  url: (protocols: readonly string[]) =>
    z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `expected a URL with scheme ${protocols.join(' or ')}` },
    ),
  /** A comma-separated list; blanks around and between entries are dropped. */
  list: (fallback = '') =>
    z
      .string()
      .default(fallback)
      .transform((v) =>
        v
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      ),
  brokers: () =>
    env
      .list('127.0.0.1:9092')
      .refine((list) => list.length > 0 && list.every((b) => /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b)), {
        message: 'expected a comma-separated list of host:port',
      }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
};
