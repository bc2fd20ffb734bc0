// Child process for the releaseMemory test: prints whether an object only a WeakRef points to
// was collected by releaseMemory() (run with and without --expose-gc).
import { releaseMemory } from '../../../src/jobs/release-memory.ts';

const ref = new WeakRef(new Array(100_000).fill(1));
await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets live until the turn ends
releaseMemory();
process.stdout.write(ref.deref() === undefined ? 'collected' : 'kept');
