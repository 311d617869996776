// The SDK catalogue's marker words (pricing/sdks.json): SDK names, provider hosts and the first two
// segments of distinctive method paths, as plain text. The bench's `rg -F` baseline searches a tree
// for them, and gen-synthetic.mjs checks that its plain files hold none. The prefilter itself
// (core/catalog.ts indexCatalog) is stricter: it wants an SDK name inside an import.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const catalogPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'pricing', 'sdks.json');

export function catalogMarkers() {
  const catalog = JSON.parse(readFileSync(catalogPath, 'utf8'));
  const markers = new Set();
  for (const sdk of catalog.sdks) {
    sdk.markers.forEach((m) => markers.add(m));
    const methods = [...(sdk.methods ?? []), ...Object.values(sdk.methodGroups ?? {}).flat()];
    for (const m of methods) if (m.heuristic) for (const p of m.paths) markers.add(p.split('.').slice(0, 2).join('.'));
  }
  for (const h of catalog.http) h.markers.forEach((m) => markers.add(m));
  return [...markers];
}
