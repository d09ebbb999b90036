// glibc's malloc, left to itself, keeps the memory of every thread's arena and, once a large
// buffer has been freed, serves the next multi-MB pixel buffers (sharp/libvips) from those arenas
// instead of mapping and unmapping them: a desk that made a few cards stayed at 450-600 MiB RSS.
// Two arenas and a fixed mmap threshold keep it under 300 MiB (docs/benchmarks.md, idle-footprint);
// with MALLOC_ARENA_MAX set sharp also uses every core per encode. glibc reads these only at start,
// so the launcher replaces itself (same pid: process.execve) once, before anything is loaded.
export const LEAN_ALLOCATOR_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

function isGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return Boolean(report?.header?.glibcVersionRuntime);
}

/** Restarts this process in place with LEAN_ALLOCATOR_ENV unless it is set already (or cannot be). */
export function relaunchWithLeanAllocator(): void {
  if (process.env.MALLOC_ARENA_MAX !== undefined || typeof process.execve !== 'function' || !isGlibc()) return;
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    ...LEAN_ALLOCATOR_ENV,
  });
}
