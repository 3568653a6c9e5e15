// `npm run dashboards`: writes the generated dashboards and alert rules into grafana/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderFiles } from './render.js';
import { WRITABLE_LAYER_ALERT_ENV } from './settings.js';

const packageRoot = path.resolve(import.meta.dirname, '..');

// Grafana reads alert thresholds raw, without expanding ${ENV}: a deployment that wants another
// writable-layer threshold generates its files with it (README.md, "Alert rules").
const writableLayerEnv = process.env[WRITABLE_LAYER_ALERT_ENV];
let writableLayerBytes: number | undefined;
if (writableLayerEnv !== undefined && writableLayerEnv !== '') {
  writableLayerBytes = Number(writableLayerEnv);
  if (!Number.isSafeInteger(writableLayerBytes) || writableLayerBytes <= 0) {
    console.error(
      `${WRITABLE_LAYER_ALERT_ENV} must be a positive whole number of bytes, not '${writableLayerEnv}'`,
    );
    process.exit(1);
  }
}

for (const [relative, content] of renderFiles({ writableLayerBytes })) {
  const target = path.join(packageRoot, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote grafana/${relative}`);
}
