/**
 * The load generator, run in its own process (never in the server's): `autocannon` with the
 * options given as JSON on the command line; prints its result as JSON on stdout.
 */
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const result = await autocannon({ ...options, renderProgressBar: false, renderResultsTable: false });
process.stdout.write(`${JSON.stringify(result)}\n`);
