/** One problem with a model config: the dotted path of the field, what was wrong, what is allowed. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  /** Allowed values or keys, where the schema knows them. */
  readonly allowed?: readonly unknown[];
}

/** Thrown by `create` and `load` for a config that the model's schema rejects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly modelId: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    const lines = issues.map(
      (i) =>
        `  - ${i.path || '(config)'}: ${i.message}${i.allowed ? ` (allowed: ${i.allowed.map((a) => JSON.stringify(a)).join(', ')})` : ''}`,
    );
    super(
      `Invalid config for '${modelId}':\n${lines.join('\n')}\nSee registry.describe('${modelId}') for the schema and defaults.`,
    );
  }
}

/** Thrown for a model id that no registered plugin provides. */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
  /** Registered ids close to the one asked for (`zoo:char-lm` for `char-lm`), best first. */
  readonly suggestions: readonly string[];
  constructor(
    readonly modelId: string,
    readonly known: readonly string[],
  ) {
    const close = suggestIds(modelId, known);
    super(
      `Unknown model '${modelId}'.${close.length ? ` Did you mean ${close.map((id) => `'${id}'`).join(' or ')}?` : ''} Registered models: ${known.length ? known.join(', ') : '(none)'}. Ids are 'namespace:name'; register the plugin that provides it with createRegistry({ plugins }).`,
    );
    this.suggestions = close;
  }
}

/**
 * Registered ids that `asked` probably meant: the same model name in another namespace (or with
 * none: `char-lm` → `zoo:char-lm`), else ids within two typos of it.
 */
function suggestIds(asked: string, known: readonly string[]): string[] {
  const a = asked.toLowerCase();
  const name = a.slice(a.lastIndexOf(':') + 1);
  const sameName = known.filter((id) => id.toLowerCase().slice(id.indexOf(':') + 1) === name);
  if (sameName.length) return sameName;
  return known
    .map((id) => {
      const k = id.toLowerCase();
      return {
        id,
        d: Math.min(editDistance(a, k), editDistance(name, k.slice(k.indexOf(':') + 1))),
      };
    })
    .filter((c) => c.d <= Math.min(2, Math.floor(name.length / 3)))
    .sort((x, y) => x.d - y.d)
    .map((c) => c.id);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Thrown by createRegistry for a malformed plugin or two plugins claiming one namespace. */
export class PluginError extends Error {
  override readonly name = 'PluginError';
}

/** What is wrong with a saved model's files (`ModelFileError.code`). */
export type ModelFileErrorCode =
  | 'MISSING_FILE'
  | 'BAD_MODEL_JSON'
  | 'UNKNOWN_FORMAT_VERSION'
  | 'WEIGHTS_MISMATCH'
  | 'NON_FINITE_WEIGHTS'
  | 'BAD_OPTIMIZER_STATE'
  | 'UNSUPPORTED_URL'
  /** A file name in model.json (or asked of a storage) that could leave the model's folder or URL. */
  | 'UNSAFE_PATH'
  /** A FIFO, device, folder… where a regular file was expected. */
  | 'NOT_A_FILE'
  /** Any other file-system failure (EACCES, ELOOP, ENOSPC, EROFS…); the message names the errno. */
  | 'FILE_SYSTEM'
  /** Over a size limit (Content-Length, bytes streamed, or more than the model can hold). */
  | 'TOO_LARGE'
  /** An http(s) request took longer than its time limit or stalled. */
  | 'TIMEOUT'
  /** An http(s) request failed: network error or a status other than 2xx/404. */
  | 'HTTP_ERROR'
  /** A redirect the redirect policy refuses (another origin or outside the model's URL). */
  | 'REDIRECT_REFUSED';

/**
 * Thrown by load/save/import for a saved model that cannot be used: what is wrong (`code`), in
 * which file, and what to do. Malformed safetensors raise `SafetensorsError` (its `cause`).
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  constructor(
    readonly code: ModelFileErrorCode,
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(`${file ? `${file}: ` : ''}${message}`, options);
  }
}
