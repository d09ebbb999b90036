// A process that counts: N transactions, each reading a number from `meta` and writing it plus one.
// Several at once on one schema lose no increment only if writers take turns (store-db.test.ts).
import { PostgresDb } from '../../../electron/core/store/postgres/sync-db.ts';
import { Store } from '../../../electron/core/store/store.ts';
import { getMeta, setMeta } from '../../../electron/core/store/meta.ts';

const [url, schema, rounds] = process.argv.slice(2);
const store = new Store(new PostgresDb({ url: url!, schema: schema! }));
for (let i = 0; i < Number(rounds); i++) {
  store.transaction(() => {
    const n = Number(getMeta(store, 'counter') ?? 0);
    setMeta(store, 'counter', String(n + 1));
    store.logEvent('counted', null, { n: n + 1 });
  });
}
store.close();
