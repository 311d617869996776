/** Model tiers: the cheaper model of the same provider, for the rule that suggests it and the editor hover. */

/**
 * Frontier models and the cheaper tier of the same provider, matched on the undated model name.
 * The first match wins, so more specific patterns come first.
 */
const TIERS: Array<{ frontier: RegExp; cheaper: string }> = [
  { frontier: /^(gpt-4o|chatgpt-4o|gpt-4-turbo|gpt-4-turbo-preview|gpt-4)$/, cheaper: 'gpt-4o-mini' },
  { frontier: /^gpt-4\.1$/, cheaper: 'gpt-4.1-mini' },
  { frontier: /^gpt-5\.[45](-pro)?$/, cheaper: 'gpt-5.4-mini' },
  { frontier: /^gpt-5(\.[0-3])?(-pro|-chat|-chat-latest)?$/, cheaper: 'gpt-5-mini' },
  { frontier: /^(o1|o3)(-pro)?$/, cheaper: 'o4-mini' },
  { frontier: /^claude-(opus|sonnet)-\d|^claude-\d(-\d)?-(opus|sonnet)$/, cheaper: 'claude-haiku-4-5' },
  { frontier: /^gemini-3(\.\d)?-pro(-preview)?$/, cheaper: 'gemini-3-flash-preview' },
  { frontier: /^gemini-(2\.5|1\.5)-pro$|^gemini-pro-latest$/, cheaper: 'gemini-2.5-flash' },
  { frontier: /^mistral-large(-\d+)?$/, cheaper: 'mistral-small-latest' },
  { frontier: /^(command-r-plus|command-a(-\d\d)?)$/, cheaper: 'command-r-08-2024' },
];

/** The cheaper tier of an undated, unprefixed model name (`gpt-4o` → `gpt-4o-mini`), or null. */
export function cheaperTier(model: string): string | null {
  return TIERS.find((t) => t.frontier.test(model))?.cheaper ?? null;
}
