// Writes, for each dashboard JSON given, a TypeScript file that assigns the dashboard as an object literal to
// @grafana/schema's classic `Dashboard` type (object literals get TypeScript's excess-property checks, so unknown
// fields fail as well as wrong types), plus each panel's `options` and `fieldConfig.defaults.custom` to the
// published panel plugin's `Options` / `FieldConfig` (the dashboard type leaves those open as Record<string, unknown>).
// Usage: node generate.mjs WORK_DIR DASHBOARD.json...
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// Panel plugins whose option types @grafana/schema publishes (module path under its package exports).
const PANEL_TYPES = {
  timeseries: 'TimeSeries', stat: 'Stat', heatmap: 'Heatmap', gauge: 'Gauge', table: 'Table', barchart: 'BarChart',
  bargauge: 'BarGauge',
};
// Those that also publish a custom FieldConfig (stat, gauge and bargauge have none).
const WITH_FIELD_CONFIG = new Set(['timeseries', 'heatmap', 'table', 'barchart']);
const panelModule = (type) =>
  `@grafana/schema/dist/esm/raw/composable/${type}/panelcfg/x/${PANEL_TYPES[type]}PanelCfg_types.gen`;

const [workDir, ...dashboards] = process.argv.slice(2);
if (!workDir || dashboards.length === 0) {
  console.error('usage: node generate.mjs WORK_DIR DASHBOARD.json...');
  process.exit(2);
}
mkdirSync(workDir, { recursive: true });
const files = [];
for (const file of dashboards) {
  const text = readFileSync(file, 'utf8');
  const dashboard = JSON.parse(text); // a file that is not JSON fails here, with the parser's message
  const panels = (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? [p, ...(p.panels ?? [])] : [p]));
  const used = [...new Set(panels.map((p) => p.type).filter((t) => PANEL_TYPES[t]))];
  const lines = [
    `// Generated from ${file} by generate.mjs: type-checked by tsc against @grafana/schema.`,
    `import type { Dashboard } from '@grafana/schema';`,
    ...used.map((t) => `import type * as ${PANEL_TYPES[t]} from '${panelModule(t)}';`),
    // JSON holds an enum's value, which TypeScript only accepts for a string enum as the value's literal type:
    // Stored<T> is T with each string enum replaced by the union of its values (same keys, so excess checks stay).
    `type Stored<T> = T extends string ? \`\${T}\` : T extends (infer U)[] ? Stored<U>[] : T extends object ? { [K in keyof T]: Stored<T[K]> } : T;`,
    // Stored panel options carry only what differs from the plugin's defaults, which Grafana fills in on load.
    `type StoredOptions<T> = T extends string ? \`\${T}\` : T extends (infer U)[] ? StoredOptions<U>[] : T extends object ? { [K in keyof T]?: StoredOptions<T[K]> } : T;`,
    `export const dashboard: Stored<Dashboard> = ${text.trim()};`,
  ];
  panels.forEach((p, i) => {
    const type = PANEL_TYPES[p.type];
    if (!type) return; // a plugin without published types: only the Dashboard check above applies
    const where = `panel ${p.id ?? i} ${JSON.stringify(p.title ?? '')} (${p.type})`;
    lines.push(`// ${where.replace(/\n/g, ' ')}`);
    if (p.options !== undefined) {
      lines.push(`export const options_${i}: StoredOptions<${type}.Options> = ${JSON.stringify(p.options, null, 2)};`);
    }
    const custom = p.fieldConfig?.defaults?.custom;
    if (custom !== undefined && WITH_FIELD_CONFIG.has(p.type)) {
      lines.push(`export const custom_${i}: StoredOptions<${type}.FieldConfig> = ${JSON.stringify(custom, null, 2)};`);
    }
  });
  const out = basename(file).replace(/\.json$/, '') + '.ts';
  writeFileSync(join(workDir, out), lines.join('\n') + '\n');
  files.push(out);
}
writeFileSync(join(workDir, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
    skipLibCheck: true, types: [], noUnusedLocals: false,
  },
  files,
}, null, 2) + '\n');
