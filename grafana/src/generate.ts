// `npm run dashboards`: writes the generated dashboards and alert rules into grafana/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderFiles } from './render.js';

const packageRoot = path.resolve(import.meta.dirname, '..');

for (const [relative, content] of renderFiles()) {
  const target = path.join(packageRoot, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote grafana/${relative}`);
}
