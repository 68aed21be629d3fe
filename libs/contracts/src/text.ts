/**
 * Text a client sends must be valid Unicode that PostgreSQL can store. JSON can carry what neither
 * allows: `\u0000` (PostgreSQL refuses U+0000 in text) and lone UTF-16 surrogates such as `\ud800`
 * (not Unicode scalar values; UTF-8 encoders silently turn them into U+FFFD). Both are refused at
 * validation, naming where they are, before anything is recorded or published.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why the text cannot be accepted, or undefined when it can. */
export function textFault(text: string): string | undefined {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return `contains U+0000 (NUL) at character ${nul}; remove it`;
  const lone = LONE_SURROGATE.exec(text);
  if (lone)
    return `contains a lone UTF-16 surrogate (\\u${lone[0].charCodeAt(0).toString(16)}) at character ${lone.index}; send valid Unicode`;
  return undefined;
}

/**
 * The first string (key or value) in a parsed JSON value that `textFault` refuses, with its path
 * (`['attributes', 'colour']`). Bounded in depth; skips the keys named in `skip` (e.g. base64 data).
 */
export function findTextFault(
  value: unknown,
  skip: ReadonlySet<string> = new Set(),
  path: (string | number)[] = [],
): { path: (string | number)[]; message: string } | undefined {
  if (path.length > 32) return undefined;
  if (typeof value === 'string') {
    const fault = textFault(value);
    return fault ? { path, message: fault } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTextFault(value[i], skip, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (skip.has(key)) continue;
      const keyFault = textFault(key);
      if (keyFault) return { path: [...path, key], message: `its name ${keyFault}` };
      const found = findTextFault(inner, skip, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
