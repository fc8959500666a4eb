import { exitWhenFlushed } from './cli/exit.js';

exitWhenFlushed(await (await import('./cli/main.js')).main(process.argv));
