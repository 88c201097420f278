// Loaded with `node --import` into a benchmarked `firmdrop` run: when the process exits it
// writes its own I/O counters (/proc/self/io: rchar, read_bytes; summed over all its threads,
// the ended hash workers included) and its CPU time to FIRMDROP_BENCH_IO_FILE. Read at exit,
// after the last byte was read, so nothing is missed (polling from outside would be).
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.FIRMDROP_BENCH_IO_FILE;
if (out) {
  process.on('exit', () => {
    const io = Object.fromEntries(
      readFileSync('/proc/self/io', 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(':').map((s) => s.trim()))
        .map(([k, v]) => [k, Number(v)]),
    );
    const cpu = process.cpuUsage();
    writeFileSync(
      out,
      JSON.stringify({
        rchar: io.rchar,
        readBytes: io.read_bytes,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        seconds: process.uptime(),
      }),
    );
  });
}
