/**
 * What one message between two processes costs on this machine: a client sends a message over
 * loopback TCP and waits for a one-byte answer, back to back or 1 ms apart (the receiver asleep in
 * between, as sqld or another instance mostly is), to an echo in another process and, for
 * comparison, to one in its own event loop. Prints the sender's time inside write() and its CPU for
 * each round trip (user + system, its timers included when paced).
 *
 * Several instances on one libSQL server exchange such messages for every batch (a first read, the
 * append, the hop to the journal's writer): on a virtual machine, waking a process on another CPU is
 * what makes a round trip cost tens of microseconds on each side (bench/RESULTS.md, session 12).
 *
 * Run: npm run bench:hop -- [--round-trips 2000]
 */
import { fork } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { flag, machineLine } from './support/common.ts';

const roundTrips = flag('round-trips', 2000);

/** An echo that answers one byte for every `size` bytes it receives. */
function echo(size: number): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    let got = 0;
    socket.on('data', (chunk) => {
      got += chunk.length;
      while (got >= size) {
        got -= size;
        socket.write('k');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server })));
}

if (process.argv[2] === '--echo') {
  const { port } = await echo(Number(process.argv[3]));
  process.send!(port);
} else {
  console.log(`a message between two processes — ${new Date().toISOString()}`);
  console.log(machineLine());
  console.log('| receiver | message | sending | write() µs | sender CPU µs a round trip | round trips/s |');
  console.log('|---|---:|---|---:|---:|---:|');
  for (const size of [1024, 16 * 1024]) {
    for (const where of ['another process', 'the same event loop'] as const) {
      for (const pacedMs of [0, 1]) {
        let stop: () => void;
        let port: number;
        if (where === 'another process') {
          const child = fork(new URL(import.meta.url).pathname, ['--echo', String(size)], { execArgv: ['--import', 'tsx'] });
          port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)));
          stop = () => child.kill();
        } else {
          const local = await echo(size);
          port = local.port;
          stop = () => local.server.close();
        }
        const socket: Socket = connect(port, '127.0.0.1');
        socket.setNoDelay(true);
        await new Promise((resolve) => socket.once('connect', resolve));
        const message = Buffer.alloc(size, 7);
        let writeNs = 0n;
        const send = () => {
          const t = process.hrtime.bigint();
          socket.write(message);
          writeNs += process.hrtime.bigint() - t;
        };
        const cpu = process.cpuUsage();
        const started = performance.now();
        await new Promise<void>((resolve) => {
          let answered = 0;
          socket.on('data', () => {
            if (++answered >= roundTrips) return resolve();
            if (pacedMs) setTimeout(send, pacedMs);
            else send();
          });
          send();
        });
        const used = process.cpuUsage(cpu);
        const seconds = (performance.now() - started) / 1000;
        socket.destroy();
        stop();
        console.log(`| ${where} | ${size / 1024} KiB | ${pacedMs ? `${pacedMs} ms apart` : 'back to back'} | ${(Number(writeNs) / roundTrips / 1000).toFixed(1)} | ${((used.user + used.system) / roundTrips).toFixed(1)} | ${Math.round(roundTrips / seconds).toLocaleString('en-US')} |`);
      }
    }
  }
}
