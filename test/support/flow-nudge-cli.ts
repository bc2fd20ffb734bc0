/** `flow-nudge ARGS` from the sources (bin/flow-nudge.js runs the build in dist/): node bin/run-ts.js test/support/flow-nudge-cli.ts start */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
