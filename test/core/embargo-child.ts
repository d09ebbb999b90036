// Child process for the embargo restart test: starts the real core on a data dir, approves a story
// under an embargo a few seconds away, prints the embargo time and waits to be killed.
import { startCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';

const [dataDir, articleId, delayMs] = process.argv.slice(2);
if (!dataDir || !articleId || !delayMs) throw new Error('usage: embargo-child.ts <dataDir> <articleId> <delayMs>');
const core = await startCore({
  dataDir,
  transport: 'web',
  secrets: { get: () => undefined },
  logger: silentLogger(),
  mediaPort: 0,
  relayPort: 0,
});

async function status(): Promise<string | undefined> {
  const result = await core.dispatch('snapshot', {});
  return result.ok
    ? (result.value as { cards: { articleId: string; status: string }[] }).cards.find((c) => c.articleId === articleId)?.status
    : undefined;
}
while ((await status()) !== 'generated') await new Promise((resolve) => setTimeout(resolve, 50));
const publishAt = Date.now() + Number(delayMs);
for (const [name, input] of [
  ['setEmbargo', { articleId, publishAt }],
  ['approve', { articleId }],
] as const) {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
}
process.stdout.write(`${JSON.stringify({ publishAt })}\n`);
setInterval(() => undefined, 60_000); // stay up until killed
