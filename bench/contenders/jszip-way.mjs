// The common hand-rolled way: the whole body into memory, JSZip.loadAsync, write each file. argv: url outDir
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';

const [url, out] = process.argv.slice(2);
const body = Buffer.from(await (await fetch(url)).arrayBuffer());
const zip = await JSZip.loadAsync(body);
for (const file of Object.values(zip.files)) {
  if (file.dir) continue;
  const target = join(out, file.name);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, await file.async('nodebuffer'));
}
