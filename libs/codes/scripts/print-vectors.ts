// Prints the test vectors as JSON; the `vectors` target redirects this into src/__tests__/vectors.json.
import { buildVectors } from '../src/__tests__/build-vectors';

process.stdout.write(`${JSON.stringify(buildVectors(), null, 2)}\n`);
