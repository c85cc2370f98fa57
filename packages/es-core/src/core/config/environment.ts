import { z } from 'zod';

/** Start-up stops on a bad setting, naming every offending variable, before anything connects. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Parses the environment once against a zod object whose keys are the variable names. */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  throw new ConfigurationError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

/** "host:port,host:port" → ["host:port", …]; a bare host gets the default port. */
export const hostList = (defaultPort: number) =>
  z
    .string()
    .trim()
    .min(1)
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[A-Za-z0-9_.\-[\]:]+$/, 'expected host or host:port'))
        .min(1)
        .transform((hosts) => hosts.map((host) => (/:\d+$/.test(host) ? host : `${host}:${defaultPort}`))),
    );

export const port = (defaultPort: number) => z.coerce.number().int().min(0).max(65_535).default(defaultPort);

export const positiveInt = (defaultValue: number) => z.coerce.number().int().positive().default(defaultValue);

export const durationMs = (defaultValue: number) => z.coerce.number().int().min(0).default(defaultValue);

/** "true"/"false"/"1"/"0" → boolean; z.coerce.boolean would read "false" as true. */
export const flag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');
